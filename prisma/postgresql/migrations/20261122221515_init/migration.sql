-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "shop" TEXT NOT NULL,
    "installState" TEXT NOT NULL DEFAULT 'installed',
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "grantedScopes" TEXT NOT NULL DEFAULT '',
    "hasAllOrdersAccess" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT,
    "currencyCode" TEXT,
    "ianaTimezone" TEXT,
    "planName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL,
    "tagPrefix" TEXT NOT NULL DEFAULT 'ci-',
    "vipShare" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "lifecycleActiveFactor" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    "lifecycleLostFactor" DOUBLE PRECISION NOT NULL DEFAULT 2,
    "newCustomerDays" INTEGER NOT NULL DEFAULT 30,
    "monthlyMarketingSpend" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "revenueBasis" TEXT NOT NULL DEFAULT 'current_total',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" SERIAL NOT NULL,
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
    "amountSpent" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "shopifyRfmGroup" TEXT,
    "predictedSpendTier" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT,
    "customerShopifyId" TEXT,
    "currencyCode" TEXT,
    "totalPrice" DECIMAL(65,30) NOT NULL,
    "subtotalPrice" DECIMAL(65,30),
    "totalRefunded" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "netSales" DECIMAL(65,30),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "sourceName" TEXT,
    "channel" TEXT,
    "firstVisitSource" TEXT,
    "utmSource" TEXT,
    "utmMedium" TEXT,
    "utmCampaign" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productShopifyId" TEXT,
    "title" TEXT NOT NULL,
    "productType" TEXT,
    "vendor" TEXT,
    "quantity" INTEGER NOT NULL,
    "amount" DECIMAL(65,30) NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "productType" TEXT,
    "vendor" TEXT,
    "shopifyUpdatedAt" TIMESTAMP(3),

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "topic" TEXT NOT NULL,
    "apiVersion" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "lockedAt" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" SERIAL NOT NULL,
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
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnalysisSnapshot" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "modelName" TEXT,
    "customers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnalysisSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerScore" (
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "x" INTEGER NOT NULL,
    "tx" DOUBLE PRECISION NOT NULL,
    "T" DOUBLE PRECISION NOT NULL,
    "totalSpent" DECIMAL(65,30) NOT NULL,
    "aov" DECIMAL(65,30) NOT NULL,
    "firstOrderAt" TIMESTAMP(3) NOT NULL,
    "lastOrderAt" TIMESTAMP(3) NOT NULL,
    "daysSinceLastOrder" INTEGER NOT NULL,
    "pAlive" DOUBLE PRECISION,
    "churnRisk" TEXT,
    "expectedPurchases" DOUBLE PRECISION,
    "expectedSpend" DOUBLE PRECISION,
    "clv" DOUBLE PRECISION,
    "clvLow" DOUBLE PRECISION,
    "clvHigh" DOUBLE PRECISION,
    "nextOrderAt" TIMESTAMP(3),
    "lifecycle" TEXT NOT NULL,
    "customerGroup" TEXT NOT NULL,
    "r" INTEGER NOT NULL,
    "f" INTEGER NOT NULL,
    "m" INTEGER NOT NULL,
    "rfmGroup" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "CustomerScore_pkey" PRIMARY KEY ("shop","customerShopifyId")
);

-- CreateTable
CREATE TABLE "Segment" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'custom',
    "rules" TEXT NOT NULL DEFAULT '{}',
    "pushEnabled" BOOLEAN NOT NULL DEFAULT false,
    "controlGroupPercent" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "shopifySegmentId" TEXT,
    "memberCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentMembership" (
    "shop" TEXT NOT NULL,
    "segmentId" INTEGER NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "isControl" BOOLEAN NOT NULL DEFAULT false,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pushedTag" TEXT,

    CONSTRAINT "SegmentMembership_pkey" PRIMARY KEY ("segmentId","customerShopifyId")
);

-- CreateTable
CREATE TABLE "TagPush" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "segmentId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TagPush_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceRequest" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "payload" TEXT NOT NULL,
    "result" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ComplianceRequest_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "ShopSettings" ADD CONSTRAINT "ShopSettings_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("shop") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentMembership" ADD CONSTRAINT "SegmentMembership_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagPush" ADD CONSTRAINT "TagPush_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
