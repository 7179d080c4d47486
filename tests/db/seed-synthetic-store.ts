/**
 * Writes `syntheticStore(orders)` (customers, orders, lines; as of SYNTHETIC_AS_OF) into a test
 * database for one shop the fast way (one SQLite transaction, or unnest batches on PostgreSQL),
 * as if a backfill had imported it: for benchmarks and browser tests that need a real store.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { createDatasetBuilder, type LineItemRow, type StoreDataset } from "../../app/analytics/dataset/dataset-builder";
import { syntheticStore } from "../../app/analytics/testing/synthetic-store";
import { shopOrderTables } from "../../app/sync/store/postgres-shop-partitions";
import type { TestDatabase } from "./test-database";

/**
 * The synthetic store with Shopify's ids: customers and products as the GIDs Shopify gives them
 * (13-digit numbers, as stores created since 2022 have), not the generator's "c12" and "p3". The
 * segment rules compare these strings once per profile and line (a "bought" condition's 275k
 * probes), so benchmarks on short ids measured less than a shop pays (bench/RESULTS.md,
 * twenty-fifth session).
 */
function syntheticStoreWithShopifyIds(orders: number) {
  const ds = syntheticStore(orders);
  return {
    ...ds,
    customerIds: ds.customerIds.map((_, c) => `gid://shopify/Customer/${FIRST_CUSTOMER_NUMBER + c}`),
    productIds: ds.productIds.map((_, p) => `gid://shopify/Product/${FIRST_PRODUCT_NUMBER + p}`),
    productTitles: ds.productIds.map((id, p) => ds.productTitles[p] ?? id),
  };
}
const FIRST_CUSTOMER_NUMBER = 7_104_336_920_000;
const FIRST_PRODUCT_NUMBER = 8_201_557_130_000;

export async function seedSyntheticStore(db: TestDatabase, SHOP: string, orders: number): Promise<{ orders: number; lines: number; customers: number }> {
  const ds = syntheticStoreWithShopifyIds(orders);
  await db.prisma.shop.upsert({ where: { shop: SHOP }, create: { shop: SHOP, ianaTimezone: "UTC" }, update: { ianaTimezone: "UTC" } });
  const iso = (ms: number) => new Date(ms).toISOString();
  const lineStart = new Int32Array(ds.orderCount + 1).fill(-1);
  for (let l = ds.lineOrder.length - 1; l >= 0; l--) lineStart[ds.lineOrder[l]] = l;
  // Each customer's row id: a line's buyer (line-purchase.ts).
  const customerRow = new Int32Array(ds.customerCount);
  if (db.config.dialect === "sqlite") {
    const sqlite = new Database(db.config.filePath);
    sqlite.pragma("journal_mode = WAL");
    const insertCustomer = sqlite.prepare(`INSERT INTO "Customer" ("shop", "shopifyId", "email", "syncedAt") VALUES (?, ?, ?, ?)`);
    const insertOrder = sqlite.prepare(`INSERT INTO "Order" ("id", "shop", "shopifyId", "customerShopifyId", "totalPrice", "shopifyCreatedAt", "syncedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`);
    // A line carries its order's buyer and purchase time (app/sync/store/line-purchase.ts); these orders all count.
    const insertLine = sqlite.prepare(`INSERT INTO "OrderLine" ("shop", "orderId", "shopifyId", "productShopifyId", "title", "quantity", "amount", "buyerId", "purchasedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const now = iso(Date.now()).replace("Z", "+00:00");
    sqlite.transaction(() => {
      for (let c = 0; c < ds.customerCount; c++) customerRow[c] = Number(insertCustomer.run(SHOP, ds.customerIds[c], `c${c}@example.com`, now).lastInsertRowid);
      for (let i = 0; i < ds.orderCount; i++) {
        const customer = ds.orderCustomer[i] >= 0 ? ds.customerIds[ds.orderCustomer[i]] : null;
        insertOrder.run(i + 1, SHOP, `gid://shopify/Order/${i + 1}`, customer, ds.orderRevenue[i].toFixed(2), iso(ds.orderAt[i]).replace("Z", "+00:00"), now);
      }
      for (let l = 0; l < ds.lineOrder.length; l++) {
        const p = ds.lineProduct[l];
        const i = ds.lineOrder[l];
        const buyer = ds.orderCustomer[i] >= 0 ? customerRow[ds.orderCustomer[i]] : null;
        insertLine.run(SHOP, i + 1, `gid://shopify/LineItem/${l + 1}`, ds.productIds[p], ds.productTitles[p], ds.lineQuantity[l], ds.lineRevenue[l].toFixed(2), buyer, iso(ds.orderAt[i]).replace("Z", "+00:00"));
      }
    })();
    sqlite.close();
  } else {
    const client = new pg.Client({ connectionString: db.config.url });
    await client.connect();
    const chunk = 50_000;
    for (let s = 0; s < ds.customerCount; s += chunk) {
      const ids = ds.customerIds.slice(s, s + chunk);
      const emails = ids.map((_, k) => `c${s + k}@example.com`);
      const { rows } = await client.query<{ id: number; shopifyId: string }>(
        `INSERT INTO "Customer" ("shop", "shopifyId", "email", "syncedAt") SELECT $1, id, e, now() FROM unnest($2::text[], $3::text[]) AS u(id, e) RETURNING "id", "shopifyId"`,
        [SHOP, ids, emails],
      );
      const rowOf = new Map(rows.map((r) => [r.shopifyId, r.id]));
      for (let k = 0; k < ids.length; k++) customerRow[s + k] = rowOf.get(ids[k])!;
    }
    // The shop's own order partitions, as its first import leaves them (decision 057).
    const own = shopOrderTables(SHOP);
    await client.query(`CREATE TABLE IF NOT EXISTS "${own.orders}" PARTITION OF "Order" FOR VALUES IN (${client.escapeLiteral(SHOP)})`);
    await client.query(`CREATE TABLE IF NOT EXISTS "${own.lines}" PARTITION OF "OrderLine" FOR VALUES IN (${client.escapeLiteral(SHOP)})`);
    for (let s = 0; s < ds.orderCount; s += chunk) {
      const ids: number[] = [], customers: (string | null)[] = [], totals: string[] = [], at: string[] = [];
      for (let i = s; i < Math.min(ds.orderCount, s + chunk); i++) {
        ids.push(i + 1);
        customers.push(ds.orderCustomer[i] >= 0 ? ds.customerIds[ds.orderCustomer[i]] : null);
        totals.push(ds.orderRevenue[i].toFixed(2));
        at.push(iso(ds.orderAt[i]).slice(0, 23));
      }
      await client.query(
        `INSERT INTO "Order" ("id", "shop", "shopifyId", "customerShopifyId", "totalPrice", "shopifyCreatedAt", "syncedAt")
         SELECT id, $1, 'gid://shopify/Order/' || id, c, t, a, now() FROM unnest($2::int[], $3::text[], $4::numeric[], $5::timestamp(3)[]) AS u(id, c, t, a)`,
        [SHOP, ids, customers, totals, at],
      );
    }
    for (let s = 0; s < ds.lineOrder.length; s += chunk) {
      const orderIds: number[] = [], products: string[] = [], titles: string[] = [], quantities: number[] = [], amounts: string[] = [], ids: number[] = [], buyers: (number | null)[] = [], at: string[] = [];
      for (let l = s; l < Math.min(ds.lineOrder.length, s + chunk); l++) {
        const i = ds.lineOrder[l];
        ids.push(l + 1);
        orderIds.push(i + 1);
        buyers.push(ds.orderCustomer[i] >= 0 ? customerRow[ds.orderCustomer[i]] : null);
        at.push(iso(ds.orderAt[i]).slice(0, 23));
        products.push(ds.productIds[ds.lineProduct[l]]);
        titles.push(ds.productTitles[ds.lineProduct[l]]);
        quantities.push(ds.lineQuantity[l]);
        amounts.push(ds.lineRevenue[l].toFixed(2));
      }
      await client.query(
        `INSERT INTO "OrderLine" ("shop", "orderId", "shopifyId", "productShopifyId", "title", "quantity", "amount", "buyerId", "purchasedAt")
         SELECT $1, o, 'gid://shopify/LineItem/' || id, p, n, q, a, b, t
         FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::int[], $7::numeric[], $8::int[], $9::timestamp(3)[]) AS u(id, o, p, n, q, a, b, t)`,
        [SHOP, ids, orderIds, products, titles, quantities, amounts, buyers, at],
      );
    }
    await client.query(`SELECT setval(pg_get_serial_sequence('"Order"', 'id'), $1)`, [ds.orderCount]);
    await client.query("ANALYZE");
    await client.end();
  }
  return { orders: ds.orderCount, lines: ds.lineOrder.length, customers: ds.customerCount };
}


/**
 * The orders `seedSyntheticStore(db, shop, orders)` writes, as the analytics core's dataset of the
 * shop holding them: in the shop's zone (UTC), amounts as stored (to the cent), without the
 * sources, countries and cities the seeding does not write. Built from the synthetic store, not
 * read back from the database: the reference a recompute's stored analysis is checked against.
 */
export function seededSyntheticDataset(orders: number): StoreDataset {
  const ds = syntheticStoreWithShopifyIds(orders);
  const builder = createDatasetBuilder();
  const cents = (amount: number) => Number(amount.toFixed(2));
  // Lines are sorted by order (StoreDataset): each order's are the run of lines with its index.
  for (let i = 0, l = 0; i < ds.orderCount; i++) {
    const lineItems: LineItemRow[] = [];
    for (; l < ds.lineOrder.length && ds.lineOrder[l] === i; l++) lineItems.push({ productId: ds.productIds[ds.lineProduct[l]], title: ds.productTitles[ds.lineProduct[l]], quantity: ds.lineQuantity[l], revenue: cents(ds.lineRevenue[l]) });
    builder.add({ customerId: ds.orderCustomer[i] >= 0 ? ds.customerIds[ds.orderCustomer[i]] : null, at: ds.orderAt[i], revenue: cents(ds.orderRevenue[i]), lineItems });
  }
  return builder.build();
}
