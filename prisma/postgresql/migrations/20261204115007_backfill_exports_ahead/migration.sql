-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "exportsAhead" TEXT;
