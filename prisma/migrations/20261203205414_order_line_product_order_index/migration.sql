-- DropIndex
DROP INDEX "OrderLine_shop_productShopifyId_idx";

-- CreateIndex
CREATE INDEX "OrderLine_shop_productShopifyId_orderId_idx" ON "OrderLine"("shop", "productShopifyId", "orderId");
