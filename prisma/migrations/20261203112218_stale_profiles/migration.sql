-- AlterTable
ALTER TABLE "CustomerProfile" ADD COLUMN "refreshedAt" DATETIME;

-- CreateTable
CREATE TABLE "StaleProfile" (
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerShopifyId")
);

-- CreateIndex
CREATE INDEX "StaleProfile_shop_requestedAt_idx" ON "StaleProfile"("shop", "requestedAt");
