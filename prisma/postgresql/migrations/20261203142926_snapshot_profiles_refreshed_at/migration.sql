-- AlterTable
ALTER TABLE "AnalysisSnapshot" ADD COLUMN     "profilesRefreshedAt" TIMESTAMP(3);
