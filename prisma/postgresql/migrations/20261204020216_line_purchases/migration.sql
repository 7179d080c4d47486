-- DropIndex
DROP INDEX "OrderLine_shop_productShopifyId_orderId_idx";

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "buyerShopifyId" TEXT,
ADD COLUMN     "purchasedAt" TIMESTAMP(3);

-- Written by hand (docs/decisions/037-line-purchases.md): the lines stored before this
-- migration take their order's buyer and purchase time (before the index, so it is built once).
UPDATE "OrderLine" l SET
    "buyerShopifyId" = CASE WHEN NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL THEN o."customerShopifyId" END,
    "purchasedAt" = COALESCE(o."processedAt", o."shopifyCreatedAt")
  FROM "Order" o WHERE o."id" = l."orderId";

-- CreateIndex
CREATE INDEX "OrderLine_shop_productShopifyId_buyerShopifyId_purchasedAt_idx" ON "OrderLine"("shop", "productShopifyId", "buyerShopifyId", "purchasedAt");

-- Written by hand: every writer of a line writes the copy with it (app/sync/store/line-purchase.ts);
-- when the order itself changes (cancelled, deleted by webhook, moved to another customer by a
-- merge, re-dated), its lines follow here, so no writer of Order can forget them. A row trigger
-- whose WHEN is checked without calling the function: an upsert that changes none of these
-- columns (a re-imported order) costs only the comparison.
-- The function body is a U& string with \003B for each semicolon: Prisma's pg adapter runs a
-- migration by splitting its text at every semicolon (decision 028).
CREATE FUNCTION "order_line_purchases"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    UPDATE "OrderLine" SET
        "buyerShopifyId" = CASE WHEN NOT NEW."test" AND NEW."cancelledAt" IS NULL AND NEW."deletedAt" IS NULL THEN NEW."customerShopifyId" END,
        "purchasedAt" = COALESCE(NEW."processedAt", NEW."shopifyCreatedAt")
    WHERE "orderId" = NEW."id"\003B
    RETURN NULL\003B
END
';

CREATE TRIGGER "Order_line_purchases" AFTER UPDATE OF "customerShopifyId", "test", "cancelledAt", "deletedAt", "processedAt", "shopifyCreatedAt" ON "Order"
    FOR EACH ROW
    WHEN (OLD."customerShopifyId" IS DISTINCT FROM NEW."customerShopifyId" OR OLD."test" IS DISTINCT FROM NEW."test"
      OR OLD."cancelledAt" IS DISTINCT FROM NEW."cancelledAt" OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt"
      OR OLD."processedAt" IS DISTINCT FROM NEW."processedAt" OR OLD."shopifyCreatedAt" IS DISTINCT FROM NEW."shopifyCreatedAt")
    EXECUTE FUNCTION "order_line_purchases"();
