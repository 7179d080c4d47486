/**
 * Erasure that erases: after customers/redact and shop/redact, the customer's e-mail and name
 * are gone from the database's bytes, not only from its query results. SQLite: the database
 * file and its WAL are read byte for byte. PostgreSQL: every tuple of the affected tables,
 * live or dead (pageinspect's heap_page_items), after the VACUUM the redaction ran; without it
 * the old row versions stay in the table until autovacuum. (Bytes of a removed tuple can stay
 * in a page's free space until reused: docs/decisions/018-erasure.md.)
 */
import fs from "node:fs";
import crypto from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../db/test-database";
import { createSqliteJobQueue } from "../../app/sync/jobs/sqlite-job-queue";
import type { SyncContext } from "../../app/sync/sync-context";
import { applyPendingWebhooks } from "../../app/sync/webhooks/apply-pending-webhooks";

const SHOP = "erasure.myshopify.com";

describe.each(TEST_DIALECTS)("erasure on %s", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;

  beforeEach(async () => {
    db = await createTestDatabase(dialect);
    ctx = { prisma: db.prisma, database: db.config, dialect, jobs: createSqliteJobQueue({ prisma: db.prisma }) };
    await db.prisma.shop.create({ data: { shop: SHOP } });
  }, 60_000);
  afterEach(async () => db?.drop());

  /** Where the bytes could be: the SQLite file and WAL, or every page of the PostgreSQL tables. */
  async function occurrences(needle: string): Promise<number> {
    if (dialect === "sqlite") {
      const file = db.config.dialect === "sqlite" ? db.config.filePath : "";
      let count = 0;
      for (const path of [file, `${file}-wal`]) {
        if (!fs.existsSync(path)) continue;
        const bytes = fs.readFileSync(path);
        for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) count++;
      }
      return count;
    }
    await db.prisma.$executeRawUnsafe("CREATE EXTENSION IF NOT EXISTS pageinspect");
    let count = 0;
    for (const table of ["Customer", "WebhookEvent", "ComplianceRequest", "Order"]) {
      const rows = await db.prisma.$queryRawUnsafe<{ hits: bigint }[]>(
        `SELECT count(*) AS hits
           FROM generate_series(0, (pg_relation_size('"${table}"') / current_setting('block_size')::int) - 1) AS block,
                heap_page_items(get_raw_page('"${table}"', block::int)) AS tuple
          WHERE tuple.t_data IS NOT NULL AND position(convert_to($1, 'UTF8') IN tuple.t_data) > 0`,
        needle,
      );
      count += Number(rows[0].hits);
    }
    return count;
  }

  /** A customer with unique personal data, arrived by webhook (so a payload carries it too), among others. */
  async function seedCustomer() {
    const tag = crypto.randomBytes(6).toString("hex");
    const email = `erase-${tag}@example.com`;
    const firstName = `Firstname${tag}`;
    for (let i = 0; i < 200; i++) {
      await db.prisma.customer.create({ data: { shop: SHOP, shopifyId: `gid://shopify/Customer/${1000 + i}`, email: `other${i}@example.com`, firstName: `Other${i}` } });
    }
    const payload = { admin_graphql_api_id: "gid://shopify/Customer/7", id: 7, email, first_name: firstName, updated_at: "2026-11-01T00:00:00Z" };
    await db.prisma.webhookEvent.create({ data: { shop: SHOP, topic: "CUSTOMERS_UPDATE", webhookId: `update-${tag}`, payload: JSON.stringify(payload) } });
    await db.prisma.order.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Order/7", customerShopifyId: "gid://shopify/Customer/7", totalPrice: "10", shopifyCreatedAt: new Date() } });
    expect(await applyPendingWebhooks(ctx, SHOP)).toMatchObject({ applied: 1 });
    expect((await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: "gid://shopify/Customer/7" } })).email).toBe(email);
    return { email, firstName };
  }

  it("after customers/redact the e-mail and name are in no stored byte (SQLite file and WAL) or tuple (PostgreSQL)", async () => {
    const { email, firstName } = await seedCustomer();
    expect(await occurrences(email)).toBeGreaterThan(0);
    await db.prisma.webhookEvent.create({
      data: { shop: SHOP, topic: "CUSTOMERS_REDACT", webhookId: "redact-7", payload: JSON.stringify({ shop_domain: SHOP, customer: { id: 7, email } }) },
    });
    expect(await applyPendingWebhooks(ctx, SHOP)).toMatchObject({ applied: 1 });
    expect(await occurrences(email)).toBe(0);
    expect(await occurrences(firstName)).toBe(0);
    // The orders stay, anonymous.
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(1);
  }, 60_000);

  it("after shop/redact the shop's customers' e-mails are in no stored byte (SQLite file and WAL) or tuple (PostgreSQL)", async () => {
    const { email, firstName } = await seedCustomer();
    await db.prisma.webhookEvent.create({ data: { shop: SHOP, topic: "SHOP_REDACT", webhookId: "shop-redact", payload: JSON.stringify({ shop_domain: SHOP }) } });
    expect(await applyPendingWebhooks(ctx, SHOP)).toMatchObject({ applied: 1 });
    expect(await occurrences(email)).toBe(0);
    expect(await occurrences(firstName)).toBe(0);
    expect(await occurrences("other17@example.com")).toBe(0);
  }, 60_000);
});
