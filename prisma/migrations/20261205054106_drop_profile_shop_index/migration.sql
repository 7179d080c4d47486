-- DropIndex
DROP INDEX "CustomerProfile_shop_snapshotId_idx";
