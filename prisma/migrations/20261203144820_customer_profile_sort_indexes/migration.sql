-- CreateIndex
CREATE INDEX "CustomerProfile_snapshotId_pAlive_idx" ON "CustomerProfile"("snapshotId", "pAlive");

-- CreateIndex
CREATE INDEX "CustomerProfile_snapshotId_totalSpent_idx" ON "CustomerProfile"("snapshotId", "totalSpent");

-- CreateIndex
CREATE INDEX "CustomerProfile_snapshotId_spendTier_totalSpent_idx" ON "CustomerProfile"("snapshotId", "spendTier", "totalSpent");
