-- AlterTable
ALTER TABLE "CustomerScore" DROP COLUMN "reason";
