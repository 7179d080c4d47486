/**
 * Backfill end to end against the Shopify simulator: install → ensureBackfill → bulk
 * operations → JSONL → database, checked against the simulator's own store (counts, money
 * sums, sampled rows, 64-bit ids); crash and restart; throttling; recompute scores.
 */
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { startHarness, waitFor, type Harness } from "./simulator-harness";
import { globalId } from "../../tools/shopify-sim/resource-ids";
import { formatMoney, ORDER_FLAG_CANCELLED, ORDER_FLAG_TEST, orderCurrentTotalCents, orderPrices, type ShopStore } from "../../tools/shopify-sim/store-model";
import { activeWorkers } from "../../app/sync/jobs/worker-registry";
import type { Database } from "../../app/db.server";

const BIG_ORDERS = 50_000;

async function expectMatchesStore(prisma: Database, shop: string, store: ShopStore) {
  const o = store.orders;
  const expectedCents = Array.from({ length: o.count }, (_, r) => orderCurrentTotalCents(o, r)).reduce((a, b) => a + b, 0);
  expect(await prisma.order.count({ where: { shop } })).toBe(o.count);
  expect(await prisma.customer.count({ where: { shop } })).toBe(store.customers.count);
  expect(await prisma.product.count({ where: { shop } })).toBe(store.products.length);
  expect(await prisma.orderLine.count({ where: { shop } })).toBe(o.lineStart[o.count]);
  const sum = await prisma.order.aggregate({ where: { shop }, _sum: { totalPrice: true } });
  expect(Math.round(Number(sum._sum.totalPrice) * 100)).toBe(expectedCents);
  // Net sales: the simulator's current line items without tax or shipping, for every order.
  const expectedNetCents = Array.from({ length: o.count }, (_, r) => orderPrices(store, r).current.itemsCents).reduce((a, b) => a + b, 0);
  const net = await prisma.order.aggregate({ where: { shop }, _sum: { netSales: true }, _count: { netSales: true } });
  expect(net._count.netSales).toBe(o.count);
  expect(Math.round(Number(net._sum.netSales) * 100)).toBe(expectedNetCents);
  // a sample of rows, field by field
  for (const r of [0, 1, Math.floor(o.count / 2), o.count - 1]) {
    const row = await prisma.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: globalId("Order", r) } }, include: { lines: true } });
    expect(row.shopifyId).toMatch(/^gid:\/\/shopify\/Order\/\d{19}$/); // beyond 2^53, exact
    expect(row.totalPrice.toFixed(2)).toBe(formatMoney(orderCurrentTotalCents(o, r)));
    expect(row.netSales?.toFixed(2)).toBe(formatMoney(orderPrices(store, r).current.itemsCents));
    expect(row.customerShopifyId).toBe(o.customerIdx[r] >= 0 ? globalId("Customer", o.customerIdx[r]) : null);
    expect(row.test).toBe((o.flags[r] & ORDER_FLAG_TEST) !== 0);
    expect(row.cancelledAt !== null).toBe((o.flags[r] & ORDER_FLAG_CANCELLED) !== 0);
    expect(row.shopifyCreatedAt.getTime()).toBe(Math.floor(o.createdAt[r] / 1000) * 1000); // Shopify's timestamps have whole seconds
    expect(row.lines.length).toBe(o.lineStart[r + 1] - o.lineStart[r]);
    const lineCents = row.lines.reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0);
    let expectedLineCents = 0;
    for (let l = o.lineStart[r]; l < o.lineStart[r + 1]; l++) expectedLineCents += o.lineDiscountedCents[l];
    expect(lineCents).toBe(expectedLineCents);
  }
  const c = 3;
  const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: globalId("Customer", c) } } });
  expect(customer.numberOfOrders).toBe(store.customers.numberOfOrders[c]);
  expect(Math.round(Number(customer.amountSpent) * 100)).toBe(store.customers.amountSpentCents[c]);
}

/** Recompute jobs queued for the shop (Job table on SQLite, pg-boss's table on PostgreSQL). */
async function recomputeJobs(h: Harness, shop: string): Promise<number> {
  if (h.app.db.config.dialect === "sqlite") return h.app.db.prisma.job.count({ where: { shop, kind: "recompute" } });
  const rows = (await h.app.db.prisma.$queryRawUnsafe(`SELECT COUNT(*)::int AS n FROM pgboss.job WHERE name = 'recompute' AND data->>'shop' = $1`, shop)) as { n: number }[];
  return rows[0].n;
}

describe.each(TEST_DIALECTS)("backfill against the simulator on %s", (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, [
      { name: "big", targetOrders: BIG_ORDERS },
      // Prices with VAT (an EU shop): net sales = subtotal − tax; the others' prices exclude tax.
      { name: "crash", targetOrders: 3_000, currencyCode: "EUR", pricing: { taxesIncluded: true, taxRate: 0.21, shippingCents: 495, freeShippingFromCents: 7500 } },
      { name: "throttled", targetOrders: 500 },
    ]);
  }, 120_000);
  afterAll(async () => h?.close(), 60_000);
  afterEach(() => {
    expect(activeWorkers()).toEqual([]);
  });

  it(`imports a shop of ≥ ${BIG_ORDERS} orders completely and matches the simulator's data, then queues the recompute`, async () => {
    const shop = await h.installShop("big");
    const store = h.sim.shops.big.runtime.store;
    expect(store.orders.count).toBeGreaterThanOrEqual(BIG_ORDERS);
    // The recompute of a 50k-order shop is the analytics core's cost (benchmarked there); this
    // test checks that the backfill queues it, and the next test that a recompute stores scores.
    // What Shopify was exporting when the first batch (of products) was stored.
    const runtime = h.sim.shops.big.runtime;
    const exportsOf = () => runtime.bulkOperations.filter((op) => op.type === "QUERY").map((op) => /\b(products|customers|orders)\s*[({]/.exec(op.query)?.[1]);
    let exportingAtFirstBatch: (string | undefined)[] | null = null;
    const engine = h.engine({ disabledJobs: ["recompute"], afterBatch: () => void (exportingAtFirstBatch ??= exportsOf()) });
    expect(await engine.ensureBackfill(shop)).toEqual({ started: true });
    expect(await engine.ensureBackfill(shop)).toEqual({ started: false }); // idempotent: already running
    await engine.start();
    try {
      const progress = await waitFor(async () => {
        const p = await engine.getSyncProgress(shop);
        if (p.status === "failed") throw new Error(`backfill failed: ${p.errorCode} ${p.error}`);
        return p.status === "completed" ? p : undefined;
      }, 100_000, "backfill");
      expect(progress.objectsDone).toBe(store.orders.count + store.customers.count + store.products.length);
      expect(progress.objectsTotal).toBe(progress.objectsDone);
      expect(progress.ordersLimitedTo60Days).toBe(false);
      // The three exports started together (the orders' export runs while products and
      // customers are imported), and each once.
      expect(exportingAtFirstBatch).toEqual(["products", "customers", "orders"]);
      expect(exportsOf()).toEqual(["products", "customers", "orders"]);
      await expectMatchesStore(h.app.db.prisma, shop, store);
      expect(await engine.ensureBackfill(shop)).toEqual({ started: false }); // done: afterAuth again starts nothing
      expect(await recomputeJobs(h, shop)).toBeGreaterThanOrEqual(1);
    } finally {
      await engine.stop();
    }
  }, 180_000);

  it("a worker killed mid-backfill and restarted reaches the same final state without duplicates", async () => {
    const shop = await h.installShop("crash");
    const store = h.sim.shops.crash.runtime.store;
    let batches = 0;
    let stopping: Promise<void> | null = null;
    const first = h.engine({
      batchSize: 200,
      afterBatch: () => {
        batches++;
        if (batches === 4) stopping = first.stop();
      },
    });
    await first.ensureBackfill(shop);
    await first.start();
    await waitFor(async () => (stopping ? true : undefined), 60_000, "4 batches");
    await stopping;
    const mid = await first.getSyncProgress(shop);
    expect(mid.status).toBe("running");
    expect(mid.objectsDone).toBeGreaterThan(0);
    expect(mid.objectsDone).toBeLessThan(mid.objectsTotal!);

    const second = h.engine({ batchSize: 200 });
    await second.start();
    try {
      await waitFor(async () => ((await second.getSyncProgress(shop)).status === "completed" ? true : undefined), 60_000, "resumed backfill");
      await expectMatchesStore(h.app.db.prisma, shop, store);
      expect((await second.getSyncProgress(shop)).objectsDone).toBe(store.orders.count + store.customers.count + store.products.length);

      // the recompute queued by the completed backfill stores one profile per customer with a valid order
      const o = store.orders;
      const buyers = new Set<number>();
      for (let r = 0; r < o.count; r++) if (o.customerIdx[r] >= 0 && (o.flags[r] & (ORDER_FLAG_TEST | ORDER_FLAG_CANCELLED)) === 0) buyers.add(o.customerIdx[r]);
      const current = await waitFor(() => readCurrentAnalysis(h.app.db.prisma, shop).then((a) => a ?? undefined), 60_000, "recompute");
      expect(await h.app.db.prisma.customerProfile.count({ where: { snapshotId: current.snapshotId } })).toBe(buyers.size);
      const scored = await h.app.db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: current.snapshotId, customerShopifyId: globalId("Customer", [...buyers][0]) } });
      expect(scored.orderCount).toBeGreaterThanOrEqual(1);
      expect(await h.app.db.prisma.analysisSnapshot.count({ where: { shop } })).toBe(1);
    } finally {
      await second.stop();
    }
  }, 150_000);

  it("a throttling Shopify slows the sync down without failing it", async () => {
    const shop = await h.installShop("throttled");
    const runtime = h.sim.shops.throttled.runtime;
    // Another app hogging the bucket for 3 s: it stays empty, so requests are throttled meanwhile.
    const drain = () => runtime.bucket.tryTake(runtime.bucket.status().currentlyAvailable);
    drain();
    const hog = setInterval(drain, 20);
    setTimeout(() => clearInterval(hog), 3_000);
    let throttled = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await h.sim.fetch(input, init);
      if (String(input).includes("graphql.json")) {
        const text = await response.clone().text();
        if (text.includes('"THROTTLED"')) throttled++;
      }
      return response;
    };
    const started = Date.now();
    const engine = h.engine({ fetch: countingFetch });
    await engine.ensureBackfill(shop);
    await engine.start();
    try {
      await waitFor(async () => {
        const p = await engine.getSyncProgress(shop);
        if (p.status === "failed") throw new Error(`backfill failed: ${p.error}`);
        return p.status === "completed" ? true : undefined;
      }, 60_000, "throttled backfill");
      expect(throttled).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
      await expectMatchesStore(h.app.db.prisma, shop, runtime.store);
    } finally {
      await engine.stop();
    }
  }, 90_000);
});
