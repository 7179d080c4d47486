-- CreateTable
CREATE TABLE "CustomerTag" (
    "shop" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("customerId", "tag"),
    CONSTRAINT "CustomerTag_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CustomerTag_shop_tag_idx" ON "CustomerTag"("shop", "tag");

-- Written by hand (docs/decisions/028-customer-tag-rows.md): the rows follow Customer.tags through
-- triggers, so every writer of the tags (backfill, webhooks, reconcile, tag push, redaction)
-- keeps them in step without knowing about them, and deleting a customer cascades.
-- NOT EXISTS rather than INSERT OR IGNORE: inside a trigger the outer statement's conflict
-- handling (an upsert's) overrides OR IGNORE.
CREATE TRIGGER "Customer_tags_insert" AFTER INSERT ON "Customer"
BEGIN
    INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
        SELECT DISTINCT NEW."shop", NEW."id", j.value FROM json_each(NEW."tags") j WHERE j.type = 'text';
END;

CREATE TRIGGER "Customer_tags_update" AFTER UPDATE OF "tags" ON "Customer"
    WHEN OLD."tags" IS NOT NEW."tags"
BEGIN
    DELETE FROM "CustomerTag" WHERE "customerId" = NEW."id"
        AND "tag" NOT IN (SELECT j.value FROM json_each(NEW."tags") j WHERE j.type = 'text');
    INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
        SELECT DISTINCT NEW."shop", NEW."id", j.value FROM json_each(NEW."tags") j
        WHERE j.type = 'text' AND NOT EXISTS (SELECT 1 FROM "CustomerTag" t WHERE t."customerId" = NEW."id" AND t."tag" = j.value);
END;

-- The customers stored before this migration.
INSERT INTO "CustomerTag" ("shop", "customerId", "tag")
    SELECT DISTINCT c."shop", c."id", j.value FROM "Customer" c, json_each(c."tags") j WHERE j.type = 'text';
