/**
 * Privacy and uninstall (issue 5 §6; Shopify's mandatory compliance webhooks, SHOPIFY.md §5):
 * - customers/redact: the customer's personal data goes; orders stay, anonymous, so shop-level
 *   figures (revenue, order counts) are unchanged;
 * - customers/data_request: the data we hold on that customer is recorded for the merchant;
 * - shop/redact (48 h after uninstall): every row of the shop goes;
 * - app/uninstalled: the shop's jobs stop and its sessions are deleted.
 */
import type { Database } from "../../db.server";
import { dropOrphanGenerationTables } from "../../snapshots/write-analysis.server";
import { CUSTOMER_PII_COLUMNS } from "../store/record-writer";
import { dropShopOrderTablesSql } from "../store/postgres-shop-partitions";
import type { SyncContext } from "../sync-context";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

const REDACTED_PAYLOAD = '{"redacted":true}';

/**
 * Blanks the customer's personal data and marks the row redacted (later syncs never write it
 * back), and scrubs every stored webhook and compliance payload that mentions the customer.
 * @param emails addresses named in the redact request, to find payloads that carry them.
 */
export async function redactCustomer(tx: Tx, shop: string, customerShopifyId: string, emails: readonly string[], now: Date): Promise<void> {
  const stored = await tx.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } }, select: { email: true } });
  const blank = Object.fromEntries(CUSTOMER_PII_COLUMNS.map((c) => [c, null]));
  if (stored) {
    await tx.customer.update({
      where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } },
      data: { ...blank, tags: "[]", redactedAt: now },
    });
  } else {
    // Redact before the customer ever reached us: leave a tombstone so a late webhook or backfill cannot add the data.
    await tx.customer.create({ data: { shop, shopifyId: customerShopifyId, redactedAt: now, shopifyUpdatedAt: null } });
  }
  const needles = [`"${customerShopifyId}"`, ...new Set([...emails, ...(stored?.email ? [stored.email] : [])].filter(Boolean))];
  for (const needle of needles) {
    await tx.webhookEvent.updateMany({ where: { shop, payload: { contains: needle } }, data: { payload: REDACTED_PAYLOAD } });
    await tx.complianceRequest.updateMany({ where: { shop, payload: { contains: needle } }, data: { payload: REDACTED_PAYLOAD } });
    await tx.complianceRequest.updateMany({ where: { shop, result: { contains: needle } }, data: { result: null } });
  }
  await tx.complianceRequest.updateMany({ where: { shop, customerShopifyId, result: { not: null } }, data: { result: null } });
}

/** The data we store about one customer, as recorded for a customers/data_request. */
export async function collectCustomerData(tx: Tx, shop: string, customerShopifyId: string) {
  const customer = await tx.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } } });
  const orders = await tx.order.findMany({ where: { shop, customerShopifyId }, include: { lines: true }, orderBy: { shopifyCreatedAt: "asc" } });
  // By the customer's id (every profile has its customer): CustomerProfile has no GID index.
  const profiles = customer ? await tx.customerProfile.findMany({ where: { shop, customerId: customer.id }, orderBy: { snapshotId: "desc" } }) : [];
  return JSON.stringify({ customer, orders, profiles }, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Every table that holds shop data, children before parents. */
const SHOP_TABLES = [
  "orderLine",
  "order",
  "customerProfile",
  "customerTag",
  "customerSearchTerm",
  "customer",
  "product",
  "analysisSnapshot",
  "staleProfile",
  "segmentMembership",
  "segmentMembershipChange",
  "segmentFigures",
  "tagPush",
  "segment",
  "webhookEvent",
  "job",
  "syncRun",
  "complianceRequest",
  "shopSettings",
  "session",
  "shop",
] as const;

/**
 * shop/redact: deletes everything the app holds about the shop, and leaves the Shop row as a
 * tombstone (installState "redacted", nothing else of the shop) so that late retries and
 * stray deliveries are dropped instead of recreating its data (shop-lifecycle.ts).
 */
export async function redactShop(ctx: SyncContext, shop: string, at: Date = new Date()): Promise<void> {
  await ctx.jobs.cancelShopJobs(shop);
  await ctx.prisma.$transaction(async (tx) => {
    // Profiles by their generations (the shop's snapshots): no index leads with their shop (decision 051).
    const generations = (await tx.analysisSnapshot.findMany({ where: { shop }, select: { id: true } })).map((s) => s.id);
    // The shop's order partitions (decision 057), and the bare tables of an import it never finished.
    if (ctx.dialect === "postgresql") await tx.$executeRawUnsafe(dropShopOrderTablesSql(shop));
    for (const table of SHOP_TABLES) {
      const where = table === "customerProfile" ? { snapshotId: { in: generations } } : { shop };
      await (tx[table] as unknown as { deleteMany(args: { where: object }): Promise<unknown> }).deleteMany({ where });
    }
    await tx.shop.create({ data: { shop, installState: "redacted", installedAt: at, uninstalledAt: at } });
  });
}

/** Tables a customers/redact overwrites personal data in (orders stay, anonymous). */
const CUSTOMER_REDACTION_TABLES = ["Customer", "CustomerTag", "CustomerSearchTerm", "WebhookEvent", "ComplianceRequest"];
/** Tables a shop/redact deletes from: every shop table (SHOP_TABLES, by their SQL names). */
const SHOP_REDACTION_TABLES = SHOP_TABLES.map((model) => model[0].toUpperCase() + model.slice(1));

/**
 * Makes a redaction's erased bytes unreadable in the database files, not only in queries
 * (docs/decisions/018-erasure.md):
 * - SQLite: every connection runs with `secure_delete = ON`, so the old cells are zeroed in
 *   their pages; but the pages as they were before still sit in the WAL until a checkpoint.
 *   `wal_checkpoint(TRUNCATE)` copies the current pages into the database and empties the WAL.
 *   It waits for readers; it is retried a few times, and the next redaction retries it too.
 * - PostgreSQL: an UPDATE or DELETE leaves the old tuple in the table until VACUUM removes it
 *   (and zeroes nothing, but makes the space free for reuse and unreachable); the affected
 *   tables are vacuumed at once instead of whenever autovacuum gets to them.
 * Run after the redaction committed, outside any transaction (VACUUM cannot run in one).
 */
export async function eraseRedactedRemnants(ctx: Pick<SyncContext, "prisma" | "dialect">, scope: "customer" | "shop"): Promise<{ complete: boolean }> {
  if (ctx.dialect === "sqlite") {
    for (let attempt = 0; attempt < 5; attempt++) {
      const [result] = await ctx.prisma.$queryRawUnsafe<{ busy: number | bigint }[]>("PRAGMA wal_checkpoint(TRUNCATE)");
      if (Number(result?.busy ?? 0) === 0) return { complete: true };
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
    return { complete: false };
  }
  const tables = scope === "shop" ? SHOP_REDACTION_TABLES : CUSTOMER_REDACTION_TABLES;
  // The shop's generations of profiles are tables of their own (decision 047): emptied by the
  // redaction, they go whole, files and all.
  if (scope === "shop") await dropOrphanGenerationTables(ctx.prisma);
  await ctx.prisma.$executeRawUnsafe(`VACUUM ${tables.map((t) => `"${t}"`).join(", ")}`);
  return { complete: true };
}

/** app/uninstalled: stop the shop's jobs, delete its sessions, mark it uninstalled (data stays until shop/redact). */
export async function handleUninstall(ctx: SyncContext, shop: string, at: Date): Promise<void> {
  await ctx.jobs.cancelShopJobs(shop);
  await ctx.prisma.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop } });
    await tx.shop.updateMany({ where: { shop }, data: { installState: "uninstalled", uninstalledAt: at } });
    await tx.syncRun.updateMany({ where: { shop, status: "running" }, data: { status: "failed", errorCode: "UNINSTALLED", error: "The app was uninstalled.", finishedAt: at } });
  });
}
