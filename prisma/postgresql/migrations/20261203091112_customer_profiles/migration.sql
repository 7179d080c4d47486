-- DropIndex
DROP INDEX "CustomerProfile_snapshotId_lifecycleStage_idx";

-- DropIndex
DROP INDEX "CustomerProfile_snapshotId_customerGroup_idx";
