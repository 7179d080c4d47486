/**
 * `CustomerSearchTerm` holds the words a search by name or e-mail finds a customer by, whoever
 * writes the customer, on SQLite and PostgreSQL (decision 040-customer-search): the migration
 * fills it from the customers stored before it; customers/create|update keep it in step (a
 * renamed customer is found by the new name, not the old); redaction and deletion take a
 * customer's terms (erased data must be gone, also from the search's index); a word matches the
 * terms it starts, case-insensitively, within the shop. The pages' behaviour is checked in
 * tests/app/customers.test.ts and tests/app/segment-page.test.ts; the bulk writers through the
 * same triggers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Database } from "~/db.server";
import { matchingCustomersSql, searchTermRanges } from "~/customers/customer-search";
import { SqlParams } from "~/segment-page/sql-query";
import { redactCustomer, redactShop } from "~/sync/privacy/privacy";
import type { SyncContext } from "~/sync/sync-context";
import { applyWebhookEvent } from "~/sync/webhooks/apply-webhook";
import { migrate } from "../../scripts/db/cli";
import { createEmptyDatabase, createTestDatabase, TEST_DIALECTS, testSyncContext, type TestDatabase, type Dialect } from "./test-database";

const SEARCH_TERMS_MIGRATION = "20261204020221_customer_search_terms";
const SHOP = "search-terms.myshopify.com";
const OTHER_SHOP = "other-search-terms.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

/** Each customer's terms (by GID), sorted, for one shop. */
async function termsOf(prisma: Database, shop: string): Promise<Record<string, string[]>> {
  const customers = await prisma.customer.findMany({ where: { shop }, select: { id: true, shopifyId: true } });
  const gids = new Map(customers.map((c) => [c.id, c.shopifyId]));
  const out: Record<string, string[]> = {};
  for (const r of await prisma.customerSearchTerm.findMany({ where: { shop }, orderBy: { term: "asc" } })) (out[gids.get(r.customerId) ?? `missing ${r.customerId}`] ??= []).push(r.term);
  return out;
}

/** The GIDs a search finds in the shop: the pages' own matching SQL. */
async function search(prisma: Database, dialect: Dialect, shop: string, text: string): Promise<string[]> {
  const ranges = searchTermRanges(text, dialect);
  if (ranges.length === 0) return [];
  const q = new SqlParams(dialect);
  const sql = `SELECT c."shopifyId" AS id FROM "Customer" c WHERE c."id" IN (${matchingCustomersSql((v) => q.param(v), shop, ranges)}) ORDER BY c."shopifyId"`;
  return (await prisma.$queryRawUnsafe<{ id: string }[]>(sql, ...q.values)).map((r) => r.id);
}

describe.each(TEST_DIALECTS)("customer search terms on %s", (dialect) => {
  it("the migration fills the terms of the customers stored before it", async () => {
    const empty = await createEmptyDatabase(dialect);
    let prisma = createPrismaClient(empty.config);
    try {
      await migrate(empty.config, { before: SEARCH_TERMS_MIGRATION });
      const insert = dialect === "sqlite" ? `INSERT INTO "Customer" ("shop", "shopifyId", "firstName", "lastName", "email") VALUES (?, ?, ?, ?, ?)` : `INSERT INTO "Customer" ("shop", "shopifyId", "firstName", "lastName", "email") VALUES ($1, $2, $3, $4, $5)`;
      await prisma.$executeRawUnsafe(insert, SHOP, gid(1), "Emma  Sofie", "Nielsen-Holm", " Emma.N@Example.com");
      await prisma.$executeRawUnsafe(insert, SHOP, gid(2), null, null, null);
      // Redacted (its row still holding an e-mail): never found.
      const insertRedacted = dialect === "sqlite" ? `INSERT INTO "Customer" ("shop", "shopifyId", "email", "redactedAt") VALUES (?, ?, ?, ?)` : `INSERT INTO "Customer" ("shop", "shopifyId", "email", "redactedAt") VALUES ($1, $2, $3, CAST($4 AS timestamp(3)))`;
      await prisma.$executeRawUnsafe(insertRedacted, SHOP, gid(3), "gone@example.com", "2026-11-01T00:00:00.000");
      await prisma.$executeRawUnsafe(insert, OTHER_SHOP, gid(1), "Ada", "Ada", 'a"b\\c@x');
      await prisma.$disconnect();
      const applied = await migrate(empty.config);
      expect(applied[0]).toBe(SEARCH_TERMS_MIGRATION);
      prisma = createPrismaClient(empty.config);
      expect(await termsOf(prisma, SHOP)).toEqual({ [gid(1)]: ["emma", "emma.n@example.com", "example.com", "nielsen-holm", "sofie"] });
      // A name twice is one term; quotes and backslashes are text.
      expect(await termsOf(prisma, OTHER_SHOP)).toEqual({ [gid(1)]: ["a\"b\\c@x", "ada", "x"] });
    } finally {
      await prisma.$disconnect();
      await empty.drop();
    }
  });

  describe("every writer of the names", () => {
    let db: TestDatabase;
    let ctx: SyncContext;
    let n = 0;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      ctx = testSyncContext(db).ctx;
      await db.prisma.shop.create({ data: { shop: SHOP } });
    });
    afterAll(async () => db?.drop());

    const webhook = (topic: string, payload: object) => applyWebhookEvent(ctx, { id: ++n, shop: SHOP, topic, payload: JSON.stringify(payload), triggeredAt: new Date("2026-11-01T10:00:00Z"), receivedAt: new Date() });
    const customer = (id: number, first: string | null, last: string | null, email: string | null, updatedAt: string) => ({ id, admin_graphql_api_id: gid(id), first_name: first, last_name: last, email, updated_at: updatedAt });

    it("customers/create and customers/update: found by every word, case-insensitively, by the new name and not the old", async () => {
      await webhook("customers/create", customer(1, "Emma", "Nielsen-Holm", "emma.n@example.com", "2026-11-01T09:00:00Z"));
      await webhook("customers/create", customer(2, "Emil", "Jansen", "c12345@shop.dk", "2026-11-01T09:00:00Z"));
      await webhook("customers/create", customer(3, "Emma", "Bakker", "c123456@shop.dk", "2026-11-01T09:00:00Z"));
      expect(await search(db.prisma, dialect, SHOP, "EMMA")).toEqual([gid(1), gid(3)]);
      expect(await search(db.prisma, dialect, SHOP, "em")).toEqual([gid(1), gid(2), gid(3)]);
      expect(await search(db.prisma, dialect, SHOP, "Emma Nielsen-Holm")).toEqual([gid(1)]);
      expect(await search(db.prisma, dialect, SHOP, "nielsen emma")).toEqual([gid(1)]);
      expect(await search(db.prisma, dialect, SHOP, "c12345@")).toEqual([gid(2)]);
      expect(await search(db.prisma, dialect, SHOP, "c12345")).toEqual([gid(2), gid(3)]);
      expect(await search(db.prisma, dialect, SHOP, "shop.dk")).toEqual([gid(2), gid(3)]);
      // A word starts a term: the middle of a word is not one.
      expect(await search(db.prisma, dialect, SHOP, "holm")).toEqual([]);
      expect(await search(db.prisma, dialect, SHOP, "mma")).toEqual([]);
      // Renamed (and a new e-mail): the old words find nobody, the new ones find them.
      await webhook("customers/update", customer(1, "Emma", "Lund", "emma.lund@example.com", "2026-11-01T09:30:00Z"));
      expect(await search(db.prisma, dialect, SHOP, "nielsen")).toEqual([]);
      expect(await search(db.prisma, dialect, SHOP, "emma.n@")).toEqual([]);
      expect(await search(db.prisma, dialect, SHOP, "lund")).toEqual([gid(1)]);
      expect((await termsOf(db.prisma, SHOP))[gid(1)]).toEqual(["emma", "emma.lund@example.com", "example.com", "lund"]);
      // An older update (out of order) changes nothing.
      await webhook("customers/update", customer(1, "Old", "Name", null, "2026-11-01T09:10:00Z"));
      expect(await search(db.prisma, dialect, SHOP, "old")).toEqual([]);
    });

    it("a customer redaction takes their terms, a deleted customer row its terms, a shop redaction the shop's; never another shop's", async () => {
      await db.prisma.customer.create({ data: { shop: OTHER_SHOP, shopifyId: gid(2), firstName: "Emil", email: "c12345@shop.dk" } });
      await db.prisma.$transaction((tx) => redactCustomer(tx, SHOP, gid(2), [], new Date()));
      expect(await search(db.prisma, dialect, SHOP, "emil")).toEqual([]);
      expect(await search(db.prisma, dialect, SHOP, "c12345@")).toEqual([]);
      expect((await termsOf(db.prisma, SHOP))[gid(2)]).toBeUndefined();
      // A later update of the redacted customer stores no personal data, so no terms either.
      await webhook("customers/update", customer(2, "Emil", "Jansen", "c12345@shop.dk", "2026-11-02T09:00:00Z"));
      expect((await termsOf(db.prisma, SHOP))[gid(2)]).toBeUndefined();
      await db.prisma.customer.delete({ where: { shop_shopifyId: { shop: SHOP, shopifyId: gid(3) } } });
      expect(Object.keys(await termsOf(db.prisma, SHOP))).toEqual([gid(1)]);
      await redactShop(ctx, SHOP);
      expect(await db.prisma.customerSearchTerm.count({ where: { shop: SHOP } })).toBe(0);
      expect(await search(db.prisma, dialect, OTHER_SHOP, "emil")).toEqual([gid(2)]);
    });
  });
});
