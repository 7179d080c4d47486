-- DropIndex
DROP INDEX "Order_shop_customerShopifyId_idx";

-- CreateIndex
CREATE INDEX "Customer_shop_deletedAt_idx" ON "Customer"("shop", "deletedAt");

-- CreateIndex
CREATE INDEX "Order_shop_customerShopifyId_shopifyCreatedAt_idx" ON "Order"("shop", "customerShopifyId", "shopifyCreatedAt");
