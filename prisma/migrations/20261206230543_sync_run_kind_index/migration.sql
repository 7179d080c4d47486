-- CreateIndex
CREATE INDEX "SyncRun_shop_kind_startedAt_idx" ON "SyncRun"("shop", "kind", "startedAt");
