-- DropIndex
DROP INDEX "CustomerProfile_snapshotId_spendTier_totalSpent_idx";
