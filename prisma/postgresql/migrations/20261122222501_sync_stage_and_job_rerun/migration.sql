-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "rerun" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "stage" TEXT,
ADD COLUMN     "stageStartedAt" TIMESTAMP(3);
