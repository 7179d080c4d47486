-- Written by hand (docs/decisions/062-line-buyer-is-the-customers-row.md): a line's buyer is the
-- customer's row id (Customer.id, the profiles' own key) instead of their Shopify id, so the
-- segment rules' "bought / never bought" sets are integers the profiles are looked up by.
-- The index keeps the shape of 20261206030000 (the shop in its leaves, decision 058).
DROP INDEX "OrderLine_productShopifyId_buyerShopifyId_purchasedAt_idx";
ALTER TABLE "OrderLine" ADD COLUMN "buyerId" INTEGER;
UPDATE "OrderLine" l SET "buyerId" = c."id" FROM "Customer" c WHERE c."shop" = l."shop" AND c."shopifyId" = l."buyerShopifyId";
ALTER TABLE "OrderLine" DROP COLUMN "buyerShopifyId";
CREATE INDEX "OrderLine_productShopifyId_buyerId_purchasedAt_idx" ON "OrderLine"("productShopifyId", "buyerId", "purchasedAt") INCLUDE ("shop");

-- As in 20261205233000_order_partitions_per_shop: when the order changes, its lines follow (the
-- buyer now by the customer's row, app/sync/store/line-purchase.ts). The function bodies are U&
-- strings with \003B for each semicolon (Prisma's pg adapter splits a migration at semicolons).
CREATE OR REPLACE FUNCTION "order_line_purchases"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    UPDATE "OrderLine" SET
        "buyerId" = CASE WHEN NOT NEW."test" AND NEW."cancelledAt" IS NULL AND NEW."deletedAt" IS NULL
            THEN (SELECT c."id" FROM "Customer" c WHERE c."shop" = NEW."shop" AND c."shopifyId" = NEW."customerShopifyId") END,
        "purchasedAt" = COALESCE(NEW."processedAt", NEW."shopifyCreatedAt")
    WHERE "orderId" = NEW."id" AND "shop" = NEW."shop"\003B
    RETURN NULL\003B
END
';

-- An order may be stored before its customer (orders/create before customers/create): its lines
-- have no buyer until the customer's record arrives, and then take it here, once per statement.
CREATE FUNCTION "customer_line_buyers"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    UPDATE "OrderLine" l SET "buyerId" = n."id"
      FROM "inserted_customers" n JOIN "Order" o ON o."shop" = n."shop" AND o."customerShopifyId" = n."shopifyId"
     WHERE l."shop" = o."shop" AND l."orderId" = o."id"
       AND NOT o."test" AND o."cancelledAt" IS NULL AND o."deletedAt" IS NULL\003B
    RETURN NULL\003B
END
';

CREATE TRIGGER "Customer_line_buyers" AFTER INSERT ON "Customer"
    REFERENCING NEW TABLE AS "inserted_customers"
    FOR EACH STATEMENT EXECUTE FUNCTION "customer_line_buyers"();
