-- DropIndex
DROP INDEX "OrderLine_shop_productShopifyId_orderId_idx";

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN "buyerShopifyId" TEXT;
ALTER TABLE "OrderLine" ADD COLUMN "purchasedAt" DATETIME;

-- Written by hand (docs/decisions/037-line-purchases.md): the lines stored before this
-- migration take their order's buyer and purchase time (before the index, so it is built once).
UPDATE "OrderLine" SET ("buyerShopifyId", "purchasedAt") = (
    SELECT CASE WHEN NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL THEN o."customerShopifyId" END,
           COALESCE(o."processedAt", o."shopifyCreatedAt")
      FROM "Order" o WHERE o."id" = "OrderLine"."orderId");

-- CreateIndex
CREATE INDEX "OrderLine_shop_productShopifyId_buyerShopifyId_purchasedAt_idx" ON "OrderLine"("shop", "productShopifyId", "buyerShopifyId", "purchasedAt");

-- Written by hand: every writer of a line writes the copy with it (app/sync/store/line-purchase.ts);
-- when the order itself changes (cancelled, deleted by webhook, moved to another customer by a
-- merge, re-dated), its lines follow here, so no writer of Order can forget them.
CREATE TRIGGER "Order_line_purchases" AFTER UPDATE OF "customerShopifyId", "test", "cancelledAt", "deletedAt", "processedAt", "shopifyCreatedAt" ON "Order"
    WHEN OLD."customerShopifyId" IS NOT NEW."customerShopifyId" OR OLD."test" IS NOT NEW."test" OR OLD."cancelledAt" IS NOT NEW."cancelledAt"
      OR OLD."deletedAt" IS NOT NEW."deletedAt" OR OLD."processedAt" IS NOT NEW."processedAt" OR OLD."shopifyCreatedAt" IS NOT NEW."shopifyCreatedAt"
BEGIN
    UPDATE "OrderLine" SET
        "buyerShopifyId" = CASE WHEN NOT NEW."test" AND NEW."cancelledAt" IS NULL AND NEW."deletedAt" IS NULL THEN NEW."customerShopifyId" END,
        "purchasedAt" = COALESCE(NEW."processedAt", NEW."shopifyCreatedAt")
    WHERE "orderId" = NEW."id";
END;
