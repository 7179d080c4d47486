-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN "nextAttemptAt" DATETIME;
ALTER TABLE "SyncRun" ADD COLUMN "stage" TEXT;
ALTER TABLE "SyncRun" ADD COLUMN "stageStartedAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "rerun" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);
INSERT INTO "new_Job" ("attempts", "createdAt", "finishedAt", "id", "key", "kind", "lastError", "lockedAt", "lockedBy", "maxAttempts", "payload", "runAt", "shop", "status") SELECT "attempts", "createdAt", "finishedAt", "id", "key", "kind", "lastError", "lockedAt", "lockedBy", "maxAttempts", "payload", "runAt", "shop", "status" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");
CREATE INDEX "Job_shop_kind_idx" ON "Job"("shop", "kind");
CREATE UNIQUE INDEX "Job_shop_kind_key_key" ON "Job"("shop", "kind", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
