-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "installState" TEXT NOT NULL DEFAULT 'installed',
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "grantedScopes" TEXT NOT NULL DEFAULT '',
    "hasAllOrdersAccess" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT,
    "currencyCode" TEXT,
    "ianaTimezone" TEXT,
    "planName" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "tagPrefix" TEXT NOT NULL DEFAULT 'ci-',
    "vipShare" REAL NOT NULL DEFAULT 0.1,
    "lifecycleActiveFactor" REAL NOT NULL DEFAULT 1.5,
    "lifecycleLostFactor" REAL NOT NULL DEFAULT 2,
    "newCustomerDays" INTEGER NOT NULL DEFAULT 30,
    "monthlyMarketingSpend" DECIMAL NOT NULL DEFAULT 0,
    "revenueBasis" TEXT NOT NULL DEFAULT 'current_total',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ShopSettings_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("shop") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "phone" TEXT,
    "emailMarketingState" TEXT,
    "countryCode" TEXT,
    "country" TEXT,
    "provinceCode" TEXT,
    "province" TEXT,
    "city" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "numberOfOrders" INTEGER NOT NULL DEFAULT 0,
    "amountSpent" DECIMAL NOT NULL DEFAULT 0,
    "shopifyRfmGroup" TEXT,
    "predictedSpendTier" TEXT,
    "shopifyCreatedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "redactedAt" DATETIME,
    "deletedAt" DATETIME,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Order" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT,
    "customerShopifyId" TEXT,
    "currencyCode" TEXT,
    "totalPrice" DECIMAL NOT NULL,
    "subtotalPrice" DECIMAL,
    "totalRefunded" DECIMAL NOT NULL DEFAULT 0,
    "netSales" DECIMAL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "sourceName" TEXT,
    "channel" TEXT,
    "firstVisitSource" TEXT,
    "utmSource" TEXT,
    "utmMedium" TEXT,
    "utmCampaign" TEXT,
    "shopifyCreatedAt" DATETIME NOT NULL,
    "processedAt" DATETIME,
    "cancelledAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "deletedAt" DATETIME,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "orderId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productShopifyId" TEXT,
    "title" TEXT NOT NULL,
    "productType" TEXT,
    "vendor" TEXT,
    "quantity" INTEGER NOT NULL,
    "amount" DECIMAL NOT NULL,
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Product" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "productType" TEXT,
    "vendor" TEXT,
    "shopifyUpdatedAt" DATETIME
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "triggeredAt" DATETIME,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "bulkOperationId" TEXT,
    "bulkStatus" TEXT,
    "errorCode" TEXT,
    "error" TEXT,
    "objectsDone" INTEGER NOT NULL DEFAULT 0,
    "objectsTotal" INTEGER,
    "linesProcessed" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AnalysisSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "asOf" DATETIME NOT NULL,
    "modelName" TEXT,
    "customers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CustomerScore" (
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "x" INTEGER NOT NULL,
    "tx" REAL NOT NULL,
    "T" REAL NOT NULL,
    "totalSpent" DECIMAL NOT NULL,
    "aov" DECIMAL NOT NULL,
    "firstOrderAt" DATETIME NOT NULL,
    "lastOrderAt" DATETIME NOT NULL,
    "daysSinceLastOrder" INTEGER NOT NULL,
    "pAlive" REAL,
    "churnRisk" TEXT,
    "expectedPurchases" REAL,
    "expectedSpend" REAL,
    "clv" REAL,
    "clvLow" REAL,
    "clvHigh" REAL,
    "nextOrderAt" DATETIME,
    "lifecycle" TEXT NOT NULL,
    "customerGroup" TEXT NOT NULL,
    "r" INTEGER NOT NULL,
    "f" INTEGER NOT NULL,
    "m" INTEGER NOT NULL,
    "rfmGroup" TEXT NOT NULL,
    "reason" TEXT,

    PRIMARY KEY ("shop", "customerShopifyId")
);

-- CreateTable
CREATE TABLE "Segment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'custom',
    "rules" TEXT NOT NULL DEFAULT '{}',
    "pushEnabled" BOOLEAN NOT NULL DEFAULT false,
    "controlGroupPercent" REAL NOT NULL DEFAULT 0,
    "shopifySegmentId" TEXT,
    "memberCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SegmentMembership" (
    "shop" TEXT NOT NULL,
    "segmentId" INTEGER NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "isControl" BOOLEAN NOT NULL DEFAULT false,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pushedTag" TEXT,

    PRIMARY KEY ("segmentId", "customerShopifyId"),
    CONSTRAINT "SegmentMembership_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TagPush" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "segmentId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "TagPush_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "payload" TEXT NOT NULL,
    "result" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "Customer_shop_shopifyUpdatedAt_idx" ON "Customer"("shop", "shopifyUpdatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shop_shopifyId_key" ON "Customer"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "Order_shop_shopifyCreatedAt_idx" ON "Order"("shop", "shopifyCreatedAt");

-- CreateIndex
CREATE INDEX "Order_shop_customerShopifyId_idx" ON "Order"("shop", "customerShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_shopifyId_key" ON "Order"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "OrderLine_shop_productShopifyId_idx" ON "OrderLine"("shop", "productShopifyId");

-- CreateIndex
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_shop_shopifyId_key" ON "OrderLine"("shop", "shopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "Product_shop_shopifyId_key" ON "Product"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_status_idx" ON "WebhookEvent"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shop_webhookId_key" ON "WebhookEvent"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_shop_kind_idx" ON "Job"("shop", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Job_shop_kind_key_key" ON "Job"("shop", "kind", "key");

-- CreateIndex
CREATE INDEX "SyncRun_shop_startedAt_idx" ON "SyncRun"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "AnalysisSnapshot_shop_createdAt_idx" ON "AnalysisSnapshot"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "CustomerScore_shop_lifecycle_idx" ON "CustomerScore"("shop", "lifecycle");

-- CreateIndex
CREATE INDEX "CustomerScore_shop_customerGroup_idx" ON "CustomerScore"("shop", "customerGroup");

-- CreateIndex
CREATE UNIQUE INDEX "Segment_shop_handle_key" ON "Segment"("shop", "handle");

-- CreateIndex
CREATE INDEX "SegmentMembership_shop_customerShopifyId_idx" ON "SegmentMembership"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "TagPush_shop_startedAt_idx" ON "TagPush"("shop", "startedAt");

-- CreateIndex
CREATE INDEX "ComplianceRequest_shop_receivedAt_idx" ON "ComplianceRequest"("shop", "receivedAt");
