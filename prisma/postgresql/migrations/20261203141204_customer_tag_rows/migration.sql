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
-- The function body is a U& string with \003B for each semicolon: Prisma's pg adapter runs a
-- migration by splitting its text at every semicolon (also inside quotes and comments).
CREATE FUNCTION "customer_tags_follow"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    IF TG_OP = ''UPDATE'' THEN
        DELETE FROM "CustomerTag" t WHERE t."customerId" = NEW."id"
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(NEW."tags"::jsonb) j(tag) WHERE j.tag = t."tag")\003B
    END IF\003B
    INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
        SELECT DISTINCT NEW."shop", NEW."id", j.tag FROM jsonb_array_elements_text(NEW."tags"::jsonb) j(tag)
        ON CONFLICT DO NOTHING\003B
    RETURN NULL\003B
END
';

CREATE TRIGGER "Customer_tags_insert" AFTER INSERT ON "Customer"
    FOR EACH ROW EXECUTE FUNCTION "customer_tags_follow"();

CREATE TRIGGER "Customer_tags_update" AFTER UPDATE OF "tags" ON "Customer"
    FOR EACH ROW WHEN (OLD."tags" IS DISTINCT FROM NEW."tags") EXECUTE FUNCTION "customer_tags_follow"();

-- The customers stored before this migration.
INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
    SELECT DISTINCT c."shop", c."id", j.tag FROM "Customer" c, jsonb_array_elements_text(c."tags"::jsonb) j(tag)
    ON CONFLICT DO NOTHING;
