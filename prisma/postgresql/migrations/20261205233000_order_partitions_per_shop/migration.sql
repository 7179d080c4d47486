-- Order and OrderLine become tables partitioned by shop, docs/decisions/057: a shop's first
-- import writes its orders into tables of their own without indexes, builds each index in one
-- sorted pass, and attaches them (app/sync/store/postgres-shop-partitions.ts). Every shop with
-- orders gets its partitions here, and the default partitions hold the orders of a shop without
-- partitions of its own (webhooks before or during its first import, tests).
-- The keys gain the shop (a partitioned table's unique keys must contain its partition key),
-- "id" stays first, so a look-up by id alone still uses each partition's primary key.
-- Written by hand. Prisma's schema has no notion of partitions (the datamodel is unchanged).
-- The DO block's body is a U& string with \003B for each semicolon: Prisma's pg adapter runs a
-- migration by splitting its text at every semicolon (decision 028).
ALTER TABLE "OrderLine" DROP CONSTRAINT "OrderLine_orderId_fkey";
DROP TRIGGER "Order_line_purchases" ON "Order";

ALTER TABLE "Order" RENAME TO "Order_unpartitioned";
ALTER TABLE "Order_unpartitioned" RENAME CONSTRAINT "Order_pkey" TO "Order_unpartitioned_pkey";
ALTER INDEX "Order_shop_customerShopifyId_shopifyCreatedAt_idx" RENAME TO "Order_unpartitioned_customer_idx";
ALTER INDEX "Order_shop_shopifyCreatedAt_idx" RENAME TO "Order_unpartitioned_created_idx";
ALTER INDEX "Order_shop_shopifyId_key" RENAME TO "Order_unpartitioned_key";
ALTER INDEX "Order_shop_syncedAt_idx" RENAME TO "Order_unpartitioned_synced_idx";
ALTER TABLE "OrderLine" RENAME TO "OrderLine_unpartitioned";
ALTER TABLE "OrderLine_unpartitioned" RENAME CONSTRAINT "OrderLine_pkey" TO "OrderLine_unpartitioned_pkey";
ALTER INDEX "OrderLine_orderId_idx" RENAME TO "OrderLine_unpartitioned_order_idx";
ALTER INDEX "OrderLine_shop_productShopifyId_buyerShopifyId_purchasedAt_idx" RENAME TO "OrderLine_unpartitioned_product_idx";
ALTER INDEX "OrderLine_shop_shopifyId_key" RENAME TO "OrderLine_unpartitioned_key";

CREATE TABLE "Order" (
    "id" INTEGER NOT NULL DEFAULT nextval('"Order_id_seq"'),
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT,
    "customerShopifyId" TEXT,
    "currencyCode" TEXT,
    "totalPrice" DECIMAL(65,30) NOT NULL,
    "subtotalPrice" DECIMAL(65,30),
    "totalRefunded" DECIMAL(65,30) NOT NULL DEFAULT 0,
    "netSales" DECIMAL(65,30),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "sourceName" TEXT,
    "channel" TEXT,
    "firstVisitSource" TEXT,
    "utmSource" TEXT,
    "utmMedium" TEXT,
    "utmCampaign" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id", "shop")
) PARTITION BY LIST ("shop");
ALTER SEQUENCE "Order_id_seq" OWNED BY "Order"."id";
-- The other indexes leave out the shop: a partition holds one shop (the default partition few
-- orders), and a first import's sort of 2M lines' keys took 30 % longer with it (decision 057).
CREATE UNIQUE INDEX "Order_shop_shopifyId_key" ON "Order"("shop", "shopifyId");
CREATE INDEX "Order_shopifyCreatedAt_idx" ON "Order"("shopifyCreatedAt");
CREATE INDEX "Order_customerShopifyId_shopifyCreatedAt_idx" ON "Order"("customerShopifyId", "shopifyCreatedAt");
CREATE INDEX "Order_syncedAt_idx" ON "Order"("syncedAt");

CREATE TABLE "OrderLine" (
    "id" INTEGER NOT NULL DEFAULT nextval('"OrderLine_id_seq"'),
    "shop" TEXT NOT NULL,
    "orderId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productShopifyId" TEXT,
    "title" TEXT NOT NULL,
    "productType" TEXT,
    "vendor" TEXT,
    "quantity" INTEGER NOT NULL,
    "amount" DECIMAL(65,30) NOT NULL,
    "buyerShopifyId" TEXT,
    "purchasedAt" TIMESTAMP(3),

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id", "shop")
) PARTITION BY LIST ("shop");
ALTER SEQUENCE "OrderLine_id_seq" OWNED BY "OrderLine"."id";
CREATE UNIQUE INDEX "OrderLine_shop_shopifyId_key" ON "OrderLine"("shop", "shopifyId");
CREATE INDEX "OrderLine_productShopifyId_buyerShopifyId_purchasedAt_idx" ON "OrderLine"("productShopifyId", "buyerShopifyId", "purchasedAt");
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId", "shop") REFERENCES "Order"("id", "shop") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "Order_default" PARTITION OF "Order" DEFAULT;
CREATE TABLE "OrderLine_default" PARTITION OF "OrderLine" DEFAULT;

-- A partition per shop that has orders, named as postgres-shop-partitions.ts names them.
DO U&'
DECLARE s text\003B
BEGIN
    FOR s IN SELECT DISTINCT "shop" FROM "Order_unpartitioned" UNION SELECT DISTINCT "shop" FROM "OrderLine_unpartitioned" LOOP
        EXECUTE format(''CREATE TABLE %I PARTITION OF "Order" FOR VALUES IN (%L)'', ''Order_shop_'' || left(md5(s), 16), s)\003B
        EXECUTE format(''CREATE TABLE %I PARTITION OF "OrderLine" FOR VALUES IN (%L)'', ''OrderLine_shop_'' || left(md5(s), 16), s)\003B
    END LOOP\003B
END
';

INSERT INTO "Order" SELECT * FROM "Order_unpartitioned";
INSERT INTO "OrderLine" SELECT * FROM "OrderLine_unpartitioned";
DROP TABLE "OrderLine_unpartitioned";
DROP TABLE "Order_unpartitioned";

-- As before (20261204020216_line_purchases), with the shop, so that only the order's own
-- partition of the lines is searched.
CREATE OR REPLACE FUNCTION "order_line_purchases"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    UPDATE "OrderLine" SET
        "buyerShopifyId" = CASE WHEN NOT NEW."test" AND NEW."cancelledAt" IS NULL AND NEW."deletedAt" IS NULL THEN NEW."customerShopifyId" END,
        "purchasedAt" = COALESCE(NEW."processedAt", NEW."shopifyCreatedAt")
    WHERE "orderId" = NEW."id" AND "shop" = NEW."shop"\003B
    RETURN NULL\003B
END
';

CREATE TRIGGER "Order_line_purchases" AFTER UPDATE OF "customerShopifyId", "test", "cancelledAt", "deletedAt", "processedAt", "shopifyCreatedAt" ON "Order"
    FOR EACH ROW
    WHEN (OLD."customerShopifyId" IS DISTINCT FROM NEW."customerShopifyId" OR OLD."test" IS DISTINCT FROM NEW."test"
      OR OLD."cancelledAt" IS DISTINCT FROM NEW."cancelledAt" OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt"
      OR OLD."processedAt" IS DISTINCT FROM NEW."processedAt" OR OLD."shopifyCreatedAt" IS DISTINCT FROM NEW."shopifyCreatedAt")
    EXECUTE FUNCTION "order_line_purchases"();
