-- Written by hand (docs/decisions/062-line-buyer-is-the-customers-row.md): a line's buyer is the
-- customer's row id (Customer.id, the profiles' own key) instead of their Shopify id, so the
-- segment rules' "bought / never bought" sets are integers the profiles are looked up by.
-- In place rather than by rebuilding the 2M-row table: the old index and trigger go first.
DROP TRIGGER "Order_line_purchases";
DROP INDEX "OrderLine_shop_productShopifyId_buyerShopifyId_purchasedAt_idx";
ALTER TABLE "OrderLine" ADD COLUMN "buyerId" INTEGER;
UPDATE "OrderLine" SET "buyerId" = (SELECT c."id" FROM "Customer" c WHERE c."shop" = "OrderLine"."shop" AND c."shopifyId" = "OrderLine"."buyerShopifyId")
    WHERE "buyerShopifyId" IS NOT NULL;
ALTER TABLE "OrderLine" DROP COLUMN "buyerShopifyId";

-- CreateIndex
CREATE INDEX "OrderLine_shop_productShopifyId_buyerId_purchasedAt_idx" ON "OrderLine"("shop", "productShopifyId", "buyerId", "purchasedAt");

-- As in 20261204020216_line_purchases: when the order changes, its lines follow (the buyer now by
-- the customer's row, app/sync/store/line-purchase.ts).
CREATE TRIGGER "Order_line_purchases" AFTER UPDATE OF "customerShopifyId", "test", "cancelledAt", "deletedAt", "processedAt", "shopifyCreatedAt" ON "Order"
    WHEN OLD."customerShopifyId" IS NOT NEW."customerShopifyId" OR OLD."test" IS NOT NEW."test" OR OLD."cancelledAt" IS NOT NEW."cancelledAt"
      OR OLD."deletedAt" IS NOT NEW."deletedAt" OR OLD."processedAt" IS NOT NEW."processedAt" OR OLD."shopifyCreatedAt" IS NOT NEW."shopifyCreatedAt"
BEGIN
    UPDATE "OrderLine" SET
        "buyerId" = CASE WHEN NOT NEW."test" AND NEW."cancelledAt" IS NULL AND NEW."deletedAt" IS NULL
            THEN (SELECT c."id" FROM "Customer" c WHERE c."shop" = NEW."shop" AND c."shopifyId" = NEW."customerShopifyId") END,
        "purchasedAt" = COALESCE(NEW."processedAt", NEW."shopifyCreatedAt")
    WHERE "orderId" = NEW."id";
END;

-- An order may be stored before its customer (orders/create before customers/create): its lines
-- have no buyer until the customer's record arrives, and then take it here.
CREATE TRIGGER "Customer_line_buyers" AFTER INSERT ON "Customer"
BEGIN
    UPDATE "OrderLine" SET "buyerId" = NEW."id"
    WHERE "orderId" IN (SELECT o."id" FROM "Order" o WHERE o."shop" = NEW."shop" AND o."customerShopifyId" = NEW."shopifyId"
        AND NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL);
END;
