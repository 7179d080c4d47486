-- AlterTable
ALTER TABLE "AnalysisSnapshot" ADD COLUMN "profilesRefreshedAt" DATETIME;
