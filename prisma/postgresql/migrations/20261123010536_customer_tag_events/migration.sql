-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "tagEvents" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "tagsAsOf" TIMESTAMP(3);
