-- CustomerProfile becomes a table partitioned by generation (snapshotId), docs/decisions/047:
-- a recompute writes its generation into a table of its own without indexes, builds each index
-- in one sorted pass, attaches the table, and a generation is pruned by dropping its table.
-- The default partition holds profiles written row by row into a generation without a table
-- of its own (the rows this migration moves, and tests), which the prune deletes by snapshotId.
-- Written by hand. Prisma's schema has no notion of partitions (the datamodel is unchanged).
ALTER TABLE "CustomerProfile" RENAME TO "CustomerProfile_unpartitioned";
ALTER TABLE "CustomerProfile_unpartitioned" RENAME CONSTRAINT "CustomerProfile_pkey" TO "CustomerProfile_unpartitioned_pkey";
ALTER TABLE "CustomerProfile_unpartitioned" RENAME CONSTRAINT "CustomerProfile_customerId_fkey" TO "CustomerProfile_unpartitioned_customerId_fkey";
ALTER INDEX "CustomerProfile_customerId_idx" RENAME TO "CustomerProfile_unpartitioned_customerId_idx";
ALTER INDEX "CustomerProfile_shop_snapshotId_idx" RENAME TO "CustomerProfile_unpartitioned_shop_snapshotId_idx";
ALTER INDEX "CustomerProfile_snapshotId_lastOrderAt_idx" RENAME TO "CustomerProfile_unpartitioned_snapshotId_lastOrderAt_idx";
ALTER INDEX "CustomerProfile_snapshotId_pAlive_idx" RENAME TO "CustomerProfile_unpartitioned_snapshotId_pAlive_idx";
ALTER INDEX "CustomerProfile_snapshotId_predictedClv_idx" RENAME TO "CustomerProfile_unpartitioned_snapshotId_predictedClv_idx";
ALTER INDEX "CustomerProfile_snapshotId_totalSpent_idx" RENAME TO "CustomerProfile_unpartitioned_snapshotId_totalSpent_idx";

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
    "refreshedAt" TIMESTAMP(3),

    CONSTRAINT "CustomerProfile_pkey" PRIMARY KEY ("snapshotId","customerId")
) PARTITION BY LIST ("snapshotId");

CREATE INDEX "CustomerProfile_shop_snapshotId_idx" ON "CustomerProfile"("shop", "snapshotId");
CREATE INDEX "CustomerProfile_snapshotId_predictedClv_idx" ON "CustomerProfile"("snapshotId", "predictedClv");
CREATE INDEX "CustomerProfile_snapshotId_lastOrderAt_idx" ON "CustomerProfile"("snapshotId", "lastOrderAt");
CREATE INDEX "CustomerProfile_snapshotId_pAlive_idx" ON "CustomerProfile"("snapshotId", "pAlive");
CREATE INDEX "CustomerProfile_snapshotId_totalSpent_idx" ON "CustomerProfile"("snapshotId", "totalSpent");
CREATE INDEX "CustomerProfile_customerId_idx" ON "CustomerProfile"("customerId");
ALTER TABLE "CustomerProfile" ADD CONSTRAINT "CustomerProfile_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "CustomerProfile_default" PARTITION OF "CustomerProfile" DEFAULT;

INSERT INTO "CustomerProfile" SELECT * FROM "CustomerProfile_unpartitioned";
DROP TABLE "CustomerProfile_unpartitioned";
