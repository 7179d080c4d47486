-- DropIndex
DROP INDEX "CustomerScore_shop_customerGroup_idx";

-- DropIndex
DROP INDEX "CustomerScore_shop_lifecycle_idx";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "analysisError" TEXT;
ALTER TABLE "Shop" ADD COLUMN "analysisFailedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "analysisRequestedAt" DATETIME;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "CustomerScore";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "CustomerProfile" (
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

    PRIMARY KEY ("snapshotId", "customerId"),
    CONSTRAINT "CustomerProfile_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "AnalysisSnapshot" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CustomerProfile_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AnalysisSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "asOf" DATETIME NOT NULL,
    "modelName" TEXT,
    "customers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME
);
INSERT INTO "new_AnalysisSnapshot" ("asOf", "createdAt", "customers", "data", "id", "modelName", "orders", "shop") SELECT "asOf", "createdAt", "customers", "data", "id", "modelName", "orders", "shop" FROM "AnalysisSnapshot";
DROP TABLE "AnalysisSnapshot";
ALTER TABLE "new_AnalysisSnapshot" RENAME TO "AnalysisSnapshot";
CREATE INDEX "AnalysisSnapshot_shop_completedAt_idx" ON "AnalysisSnapshot"("shop", "completedAt");
CREATE INDEX "AnalysisSnapshot_shop_createdAt_idx" ON "AnalysisSnapshot"("shop", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CustomerProfile_shop_customerShopifyId_idx" ON "CustomerProfile"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "CustomerProfile_snapshotId_predictedClv_idx" ON "CustomerProfile"("snapshotId", "predictedClv");

-- CreateIndex
CREATE INDEX "CustomerProfile_snapshotId_lastOrderAt_idx" ON "CustomerProfile"("snapshotId", "lastOrderAt");

-- CreateIndex
CREATE INDEX "CustomerProfile_customerId_idx" ON "CustomerProfile"("customerId");
