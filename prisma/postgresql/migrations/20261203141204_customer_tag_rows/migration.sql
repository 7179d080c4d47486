-- CreateTable
CREATE TABLE "CustomerTag" (
    "shop" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    CONSTRAINT "CustomerTag_pkey" PRIMARY KEY ("customerId","tag")
);

-- CreateIndex
CREATE INDEX "CustomerTag_shop_tag_idx" ON "CustomerTag"("shop", "tag");

-- AddForeignKey
ALTER TABLE "CustomerTag" ADD CONSTRAINT "CustomerTag_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (docs/decisions/028-customer-tag-rows.md): the rows follow Customer.tags through
-- triggers, so every writer of the tags (backfill, webhooks, reconcile, tag push, redaction)
-- keeps them in step without knowing about them, and deleting a customer cascades.
-- Statement-level triggers over the transition tables: one set-based statement per write
-- instead of a PL/pgSQL call per customer (the backfill writes thousands per statement).
-- The function bodies are U& strings with \003B for each semicolon: Prisma's pg adapter runs a
-- migration by splitting its text at every semicolon (also inside quotes and comments).
CREATE FUNCTION "customer_tags_inserted"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
        SELECT DISTINCT n."shop", n."id", j.tag FROM "inserted_customers" n, jsonb_array_elements_text(n."tags"::jsonb) j(tag)
        ON CONFLICT DO NOTHING\003B
    RETURN NULL\003B
END
';

CREATE FUNCTION "customer_tags_updated"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    DELETE FROM "CustomerTag" t
        USING "updated_customers" n JOIN "customers_before" o ON o."id" = n."id"
        WHERE t."customerId" = n."id" AND o."tags" IS DISTINCT FROM n."tags"
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(n."tags"::jsonb) j(tag) WHERE j.tag = t."tag")\003B
    INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
        SELECT DISTINCT n."shop", n."id", j.tag
          FROM "updated_customers" n JOIN "customers_before" o ON o."id" = n."id", jsonb_array_elements_text(n."tags"::jsonb) j(tag)
         WHERE o."tags" IS DISTINCT FROM n."tags"
        ON CONFLICT DO NOTHING\003B
    RETURN NULL\003B
END
';

CREATE TRIGGER "Customer_tags_insert" AFTER INSERT ON "Customer"
    REFERENCING NEW TABLE AS "inserted_customers"
    FOR EACH STATEMENT EXECUTE FUNCTION "customer_tags_inserted"();

CREATE TRIGGER "Customer_tags_update" AFTER UPDATE ON "Customer"
    REFERENCING OLD TABLE AS "customers_before" NEW TABLE AS "updated_customers"
    FOR EACH STATEMENT EXECUTE FUNCTION "customer_tags_updated"();

-- The customers stored before this migration.
INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
    SELECT DISTINCT c."shop", c."id", j.tag FROM "Customer" c, jsonb_array_elements_text(c."tags"::jsonb) j(tag)
    ON CONFLICT DO NOTHING;
