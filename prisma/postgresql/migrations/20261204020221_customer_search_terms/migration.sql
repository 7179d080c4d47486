-- CreateTable
CREATE TABLE "CustomerSearchTerm" (
    "shop" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "term" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "CustomerSearchTerm_pkey" PRIMARY KEY ("customerId","term")
);

-- CreateIndex
CREATE INDEX "CustomerSearchTerm_shop_term_customerId_idx" ON "CustomerSearchTerm"("shop", "term", "customerId");

-- AddForeignKey
ALTER TABLE "CustomerSearchTerm" ADD CONSTRAINT "CustomerSearchTerm_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (docs/decisions/040-customer-search.md): the terms follow Customer's names and
-- e-mail through triggers, so every writer (backfill, webhooks, reconcile, redaction) keeps them
-- in step without knowing about them, and deleting a customer cascades. A customer's terms: each
-- word of "firstName lastName" (split at white space), the e-mail whole and its domain,
-- lower-cased by lower(), none for a redacted customer. The term column compares bytewise (collation "C", set above by hand),
-- so the terms a word starts are one range of the (shop, term) index whatever the database's collation.
-- Statement-level triggers over the transition tables (as Customer_tags_*, decision 028), the
-- function bodies are U& strings with \003B for each semicolon (Prisma's pg adapter splits a
-- migration at every semicolon).
CREATE FUNCTION "customer_search_terms_of"(first_name TEXT, last_name TEXT, email TEXT) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE AS U&'
    SELECT DISTINCT t.term FROM (
        SELECT regexp_split_to_table(lower(coalesce(first_name, '''') || '' '' || coalesce(last_name, '''')), ''[[:space:]]+'') AS term
        UNION ALL SELECT lower(btrim(email))
        UNION ALL SELECT substr(lower(btrim(email)), strpos(btrim(email), ''@'') + 1) WHERE strpos(btrim(email), ''@'') > 0
    ) t WHERE t.term <> ''''
';

CREATE FUNCTION "customer_search_terms_inserted"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    INSERT INTO "CustomerSearchTerm" ("shop", "customerId", "term")
        SELECT n."shop", n."id", t.term FROM "inserted_customers" n, "customer_search_terms_of"(n."firstName", n."lastName", n."email") t(term)
        WHERE n."redactedAt" IS NULL
        ON CONFLICT DO NOTHING\003B
    RETURN NULL\003B
END
';

CREATE FUNCTION "customer_search_terms_updated"() RETURNS trigger LANGUAGE plpgsql AS U&'
BEGIN
    DELETE FROM "CustomerSearchTerm" t
        USING "updated_customers" n JOIN "customers_before" o ON o."id" = n."id"
        WHERE t."customerId" = n."id"
          AND (o."email" IS DISTINCT FROM n."email" OR o."firstName" IS DISTINCT FROM n."firstName" OR o."lastName" IS DISTINCT FROM n."lastName" OR o."redactedAt" IS DISTINCT FROM n."redactedAt")\003B
    INSERT INTO "CustomerSearchTerm" ("shop", "customerId", "term")
        SELECT n."shop", n."id", t.term
          FROM "updated_customers" n JOIN "customers_before" o ON o."id" = n."id", "customer_search_terms_of"(n."firstName", n."lastName", n."email") t(term)
         WHERE n."redactedAt" IS NULL
           AND (o."email" IS DISTINCT FROM n."email" OR o."firstName" IS DISTINCT FROM n."firstName" OR o."lastName" IS DISTINCT FROM n."lastName" OR o."redactedAt" IS DISTINCT FROM n."redactedAt")
        ON CONFLICT DO NOTHING\003B
    RETURN NULL\003B
END
';

CREATE TRIGGER "Customer_search_terms_insert" AFTER INSERT ON "Customer"
    REFERENCING NEW TABLE AS "inserted_customers"
    FOR EACH STATEMENT EXECUTE FUNCTION "customer_search_terms_inserted"();

CREATE TRIGGER "Customer_search_terms_update" AFTER UPDATE ON "Customer"
    REFERENCING OLD TABLE AS "customers_before" NEW TABLE AS "updated_customers"
    FOR EACH STATEMENT EXECUTE FUNCTION "customer_search_terms_updated"();

-- The customers stored before this migration.
INSERT INTO "CustomerSearchTerm" ("shop", "customerId", "term")
    SELECT c."shop", c."id", t.term FROM "Customer" c, "customer_search_terms_of"(c."firstName", c."lastName", c."email") t(term) WHERE c."redactedAt" IS NULL;
