-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN     "refreshedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "StaleProfile" (
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaleProfile_pkey" PRIMARY KEY ("shop","customerShopifyId")
);

-- CreateIndex
CREATE INDEX "StaleProfile_shop_requestedAt_idx" ON "StaleProfile"("shop", "requestedAt");
