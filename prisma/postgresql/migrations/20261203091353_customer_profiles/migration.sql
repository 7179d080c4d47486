-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "analysisError" TEXT,
ADD COLUMN     "analysisFailedAt" TIMESTAMP(3),
ADD COLUMN     "analysisRequestedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AnalysisSnapshot" ADD COLUMN     "completedAt" TIMESTAMP(3),
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- DropTable
DROP TABLE "CustomerScore";

-- CreateTable
CREATE TABLE "CustomerProfile" (
    "snapshotId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "repeatPurchases" INTEGER NOT NULL,
    "totalSpent" DECIMAL(65,30) NOT NULL,
    "averageOrderValue" DECIMAL(65,30) NOT NULL,
    "firstOrderAt" TIMESTAMP(3) NOT NULL,
    "lastOrderAt" TIMESTAMP(3) NOT NULL,
    "daysSinceFirstOrder" INTEGER NOT NULL,
    "daysSinceLastOrder" INTEGER NOT NULL,
    "usualGapDays" DOUBLE PRECISION NOT NULL,
    "lifecycleStage" TEXT NOT NULL,
    "customerGroup" TEXT NOT NULL,
    "customerType" TEXT NOT NULL,
    "spendTier" TEXT NOT NULL,
    "recencyScore" INTEGER NOT NULL,
    "frequencyScore" INTEGER NOT NULL,
    "monetaryScore" INTEGER NOT NULL,
    "rfmGroup" TEXT NOT NULL,
    "acquisitionSource" TEXT,
    "pAlive" DOUBLE PRECISION,
    "pAliveLow" DOUBLE PRECISION,
    "pAliveHigh" DOUBLE PRECISION,
    "churnRisk" TEXT,
    "expectedOrders" DOUBLE PRECISION,
    "expectedOrdersLow" DOUBLE PRECISION,
    "expectedOrdersHigh" DOUBLE PRECISION,
    "expectedOrderValue" DOUBLE PRECISION,
    "predictedClv" DOUBLE PRECISION,
    "predictedClvLow" DOUBLE PRECISION,
    "predictedClvHigh" DOUBLE PRECISION,
    "nextOrderAt" TIMESTAMP(3),
    "nextOrderLow" TIMESTAMP(3),
    "nextOrderHigh" TIMESTAMP(3),

    CONSTRAINT "CustomerProfile_pkey" PRIMARY KEY ("snapshotId","customerId")
);

-- CreateIndex
CREATE INDEX "CustomerProfile_shop_customerShopifyId_idx" ON "CustomerProfile"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "CustomerProfile_snapshotId_predictedClv_idx" ON "CustomerProfile"("snapshotId", "predictedClv");

-- CreateIndex
CREATE INDEX "CustomerProfile_snapshotId_lastOrderAt_idx" ON "CustomerProfile"("snapshotId", "lastOrderAt");

-- CreateIndex
CREATE INDEX "CustomerProfile_customerId_idx" ON "CustomerProfile"("customerId");

-- CreateIndex
CREATE INDEX "AnalysisSnapshot_shop_completedAt_idx" ON "AnalysisSnapshot"("shop", "completedAt");

-- AddForeignKey
ALTER TABLE "CustomerProfile" ADD CONSTRAINT "CustomerProfile_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "AnalysisSnapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerProfile" ADD CONSTRAINT "CustomerProfile_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
