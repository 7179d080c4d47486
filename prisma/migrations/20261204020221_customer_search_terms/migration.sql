-- CreateTable
CREATE TABLE "CustomerSearchTerm" (
    "shop" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "term" TEXT NOT NULL,

    PRIMARY KEY ("customerId", "term"),
    CONSTRAINT "CustomerSearchTerm_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CustomerSearchTerm_shop_term_customerId_idx" ON "CustomerSearchTerm"("shop", "term", "customerId");

-- Written by hand (docs/decisions/040-customer-search.md): the terms follow Customer's names and
-- e-mail through triggers, so every writer (backfill, webhooks, reconcile, redaction) keeps them
-- in step without knowing about them, and deleting a customer cascades. A customer's terms: each
-- word of "firstName lastName" (split at spaces, tabs and line breaks), the e-mail whole and its
-- domain, lower-cased by lower() (ASCII letters on SQLite, as LIKE compared them). The words are
-- split by writing them as a JSON array for json_each (a trigger cannot hold a recursive WITH);
-- a name that is still not valid JSON (another control character) gives no name terms, never an
-- error. UNION: a term found twice (a first name that is also the last) is one row. A redacted
-- customer has no terms, whatever its row still holds.
CREATE TRIGGER "Customer_search_terms_insert" AFTER INSERT ON "Customer"
    WHEN NEW."redactedAt" IS NULL
BEGIN
    INSERT INTO "CustomerSearchTerm" ("shop", "customerId", "term")
        SELECT NEW."shop", NEW."id", j.value
            FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(replace(replace(replace(lower(coalesce(NEW."firstName", '') || ' ' || coalesce(NEW."lastName", '')),
                '\', '\\'), '"', '\"'), char(9), ' '), char(10), ' '), char(13), ' '), ' ', '","') || '"]') THEN
                '["' || replace(replace(replace(replace(replace(replace(lower(coalesce(NEW."firstName", '') || ' ' || coalesce(NEW."lastName", '')),
                '\', '\\'), '"', '\"'), char(9), ' '), char(10), ' '), char(13), ' '), ' ', '","') || '"]' ELSE '[]' END) j
            WHERE j.value <> ''
        UNION SELECT NEW."shop", NEW."id", lower(trim(NEW."email")) WHERE trim(NEW."email") <> ''
        UNION SELECT NEW."shop", NEW."id", substr(lower(trim(NEW."email")), instr(trim(NEW."email"), '@') + 1)
            WHERE instr(trim(NEW."email"), '@') > 0 AND substr(trim(NEW."email"), instr(trim(NEW."email"), '@') + 1) <> '';
END;

CREATE TRIGGER "Customer_search_terms_update" AFTER UPDATE OF "email", "firstName", "lastName", "redactedAt" ON "Customer"
    WHEN OLD."email" IS NOT NEW."email" OR OLD."firstName" IS NOT NEW."firstName" OR OLD."lastName" IS NOT NEW."lastName" OR OLD."redactedAt" IS NOT NEW."redactedAt"
BEGIN
    DELETE FROM "CustomerSearchTerm" WHERE "customerId" = NEW."id";
    INSERT INTO "CustomerSearchTerm" ("shop", "customerId", "term")
        SELECT NEW."shop", NEW."id", j.value
            FROM json_each(CASE WHEN json_valid('["' || replace(replace(replace(replace(replace(replace(lower(coalesce(NEW."firstName", '') || ' ' || coalesce(NEW."lastName", '')),
                '\', '\\'), '"', '\"'), char(9), ' '), char(10), ' '), char(13), ' '), ' ', '","') || '"]') THEN
                '["' || replace(replace(replace(replace(replace(replace(lower(coalesce(NEW."firstName", '') || ' ' || coalesce(NEW."lastName", '')),
                '\', '\\'), '"', '\"'), char(9), ' '), char(10), ' '), char(13), ' '), ' ', '","') || '"]' ELSE '[]' END) j
            WHERE j.value <> '' AND NEW."redactedAt" IS NULL
        UNION SELECT NEW."shop", NEW."id", lower(trim(NEW."email")) WHERE trim(NEW."email") <> '' AND NEW."redactedAt" IS NULL
        UNION SELECT NEW."shop", NEW."id", substr(lower(trim(NEW."email")), instr(trim(NEW."email"), '@') + 1)
            WHERE NEW."redactedAt" IS NULL AND instr(trim(NEW."email"), '@') > 0 AND substr(trim(NEW."email"), instr(trim(NEW."email"), '@') + 1) <> '';
END;

-- The customers stored before this migration.
INSERT INTO "CustomerSearchTerm" ("shop", "customerId", "term")
        SELECT c."shop", c."id", j.value
            FROM "Customer" c, json_each(CASE WHEN json_valid('["' || replace(replace(replace(replace(replace(replace(lower(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')),
                '\', '\\'), '"', '\"'), char(9), ' '), char(10), ' '), char(13), ' '), ' ', '","') || '"]') THEN
                '["' || replace(replace(replace(replace(replace(replace(lower(coalesce(c."firstName", '') || ' ' || coalesce(c."lastName", '')),
                '\', '\\'), '"', '\"'), char(9), ' '), char(10), ' '), char(13), ' '), ' ', '","') || '"]' ELSE '[]' END) j
            WHERE j.value <> '' AND c."redactedAt" IS NULL
        UNION SELECT c."shop", c."id", lower(trim(c."email")) FROM "Customer" c WHERE trim(c."email") <> '' AND c."redactedAt" IS NULL
        UNION SELECT c."shop", c."id", substr(lower(trim(c."email")), instr(trim(c."email"), '@') + 1)
            FROM "Customer" c WHERE c."redactedAt" IS NULL AND instr(trim(c."email"), '@') > 0 AND substr(trim(c."email"), instr(trim(c."email"), '@') + 1) <> '';
