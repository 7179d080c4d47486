-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CustomerProfile" (
    "snapshotId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "repeatPurchases" INTEGER NOT NULL,
    "totalSpent" DECIMAL NOT NULL,
    "averageOrderValue" DECIMAL NOT NULL,
    "firstOrderAt" DATETIME NOT NULL,
    "lastOrderAt" DATETIME NOT NULL,
    "daysSinceFirstOrder" INTEGER NOT NULL,
    "daysSinceLastOrder" INTEGER NOT NULL,
    "usualGapDays" REAL NOT NULL,
    "lifecycleStage" TEXT NOT NULL,
    "customerGroup" TEXT NOT NULL,
    "customerType" TEXT NOT NULL,
    "spendTier" TEXT NOT NULL,
    "recencyScore" INTEGER NOT NULL,
    "frequencyScore" INTEGER NOT NULL,
    "monetaryScore" INTEGER NOT NULL,
    "rfmGroup" TEXT NOT NULL,
    "acquisitionSource" TEXT,
    "pAlive" REAL,
    "pAliveLow" REAL,
    "pAliveHigh" REAL,
    "churnRisk" TEXT,
    "expectedOrders" REAL,
    "expectedOrdersLow" REAL,
    "expectedOrdersHigh" REAL,
    "expectedOrderValue" REAL,
    "predictedClv" REAL,
    "predictedClvLow" REAL,
    "predictedClvHigh" REAL,
    "nextOrderAt" DATETIME,
    "nextOrderLow" DATETIME,
    "nextOrderHigh" DATETIME,
    "refreshedAt" DATETIME,

    PRIMARY KEY ("snapshotId", "customerId"),
    CONSTRAINT "CustomerProfile_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CustomerProfile" ("acquisitionSource", "averageOrderValue", "churnRisk", "customerGroup", "customerId", "customerShopifyId", "customerType", "daysSinceFirstOrder", "daysSinceLastOrder", "expectedOrderValue", "expectedOrders", "expectedOrdersHigh", "expectedOrdersLow", "firstOrderAt", "frequencyScore", "lastOrderAt", "lifecycleStage", "monetaryScore", "nextOrderAt", "nextOrderHigh", "nextOrderLow", "orderCount", "pAlive", "pAliveHigh", "pAliveLow", "predictedClv", "predictedClvHigh", "predictedClvLow", "recencyScore", "refreshedAt", "repeatPurchases", "rfmGroup", "shop", "snapshotId", "spendTier", "totalSpent", "usualGapDays") SELECT "acquisitionSource", "averageOrderValue", "churnRisk", "customerGroup", "customerId", "customerShopifyId", "customerType", "daysSinceFirstOrder", "daysSinceLastOrder", "expectedOrderValue", "expectedOrders", "expectedOrdersHigh", "expectedOrdersLow", "firstOrderAt", "frequencyScore", "lastOrderAt", "lifecycleStage", "monetaryScore", "nextOrderAt", "nextOrderHigh", "nextOrderLow", "orderCount", "pAlive", "pAliveHigh", "pAliveLow", "predictedClv", "predictedClvHigh", "predictedClvLow", "recencyScore", "refreshedAt", "repeatPurchases", "rfmGroup", "shop", "snapshotId", "spendTier", "totalSpent", "usualGapDays" FROM "CustomerProfile";
DROP TABLE "CustomerProfile";
ALTER TABLE "new_CustomerProfile" RENAME TO "CustomerProfile";
CREATE INDEX "CustomerProfile_shop_snapshotId_idx" ON "CustomerProfile"("shop", "snapshotId");
CREATE INDEX "CustomerProfile_snapshotId_predictedClv_idx" ON "CustomerProfile"("snapshotId", "predictedClv");
CREATE INDEX "CustomerProfile_snapshotId_lastOrderAt_idx" ON "CustomerProfile"("snapshotId", "lastOrderAt");
CREATE INDEX "CustomerProfile_snapshotId_pAlive_idx" ON "CustomerProfile"("snapshotId", "pAlive");
CREATE INDEX "CustomerProfile_snapshotId_totalSpent_idx" ON "CustomerProfile"("snapshotId", "totalSpent");
CREATE INDEX "CustomerProfile_snapshotId_spendTier_totalSpent_idx" ON "CustomerProfile"("snapshotId", "spendTier", "totalSpent");
CREATE INDEX "CustomerProfile_customerId_idx" ON "CustomerProfile"("customerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Segment pages now reach a member's profile by SegmentMembership.customerId (the profile's
-- primary key). Memberships written before that column was filled get it from their customer.
UPDATE "SegmentMembership" SET "customerId" = (
  SELECT c."id" FROM "Customer" c WHERE c."shop" = "SegmentMembership"."shop" AND c."shopifyId" = "SegmentMembership"."customerShopifyId"
) WHERE "customerId" IS NULL;
