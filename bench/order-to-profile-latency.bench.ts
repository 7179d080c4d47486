/**
 * Fresh after every order (issue "Fresh after every order", benchmark): the latency from an order
 * webhook's 200 to its customer's profile being rewritten, at a sustained rate of orders/s.
 *
 *   npx tsx bench/order-to-profile-latency.bench.ts [orders=100000] [dialect=sqlite] [rates=1,10,100] [seconds=60]
 *
 * Seeds the synthetic store (bench/recompute.bench.ts's) and analyses it once, then starts the
 * real sync engine (job queue, apply-webhook, refresh-profiles with its segments; the store-level
 * refit and reconcile switched off so they do not run into the measurement) and, per rate, offers
 * orders/create deliveries for random customers at that rate for `seconds`: each is recorded by
 * `recordWebhook` (what the webhook route does before it answers 200; the HMAC check and the
 * HTTP server are measured in bench/sync-webhook-intake.bench.ts) and the apply job is queued.
 * Latency per order = its customer's `refreshedAt` − the delivery's recording time (each
 * customer's last order of the phase). Also times rescoring 1 and 1,000 customers, and one
 * full recompute (the nightly pass is a full analysis).
 */
import { cpus, loadavg } from "node:os";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import { seedSyntheticStore } from "../tests/db/seed-synthetic-store";
import { createTestDatabase, testSyncContext } from "../tests/db/test-database";

const orders = Number(process.argv[2] ?? 100_000);
const dialect = (process.argv[3] ?? "sqlite") as "sqlite" | "postgresql";
const rates = (process.argv[4] ?? "1,10,100").split(",").map(Number);
const seconds = Number(process.argv[5] ?? 60);
const SHOP = "bench-latency.myshopify.com";

const db = await createTestDatabase(dialect);
process.env.DATABASE_URL = db.config.url;
const { recordWebhook, closeWebhookIntake } = await import("../app/services/webhooks.server");
const { createSyncEngine } = await import("../app/jobs/worker.server");
const { recomputeShop } = await import("../app/jobs/handlers/recompute");
const { refreshSegmentMemberships } = await import("../app/segments/refresh-memberships.server");
const { markProfilesStale, refreshStaleProfiles } = await import("../app/snapshots/refresh-profiles.server");
const { closeBulkConnections } = await import("../app/db/bulk-connections.server");

const percentile = (values: number[], q: number) => (values.length ? [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] : NaN);
const report = (what: string, extra: Record<string, unknown>) =>
  console.log(JSON.stringify({ what, dialect, orders, load1: Math.round(loadavg()[0] * 10) / 10, ...extra }));

try {
  const t0 = performance.now();
  await seedSyntheticStore(db, SHOP, orders);
  const prisma = db.prisma;
  await prisma.shop.update({ where: { shop: SHOP }, data: { installState: "installed" } });
  const { ctx } = testSyncContext(db);
  console.error(`seeded in ${Math.round(performance.now() - t0)} ms`);
  // The nightly pass is this: a full analysis as of the new day, then every segment evaluated.
  const nightly0 = performance.now();
  await recomputeShop(ctx, SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
  const recomputeMs = performance.now() - nightly0;
  await refreshSegmentMemberships(ctx, SHOP);
  report("nightly pass (recompute + all segments)", { recomputeMs: Math.round(recomputeMs), totalMs: Math.round(performance.now() - nightly0), machine: `${cpus().length} × ${cpus()[0].model}` });

  const customers = (await prisma.customerProfile.findMany({ where: { shop: SHOP }, select: { customerShopifyId: true } })).map((p) => p.customerShopifyId);
  for (const batch of process.env.BENCH_SKIP_RESCORE ? [] : [1, 1_000]) {
    const times: number[] = [];
    for (let run = 0; run < (batch === 1 ? 20 : 3); run++) {
      await markProfilesStale(ctx, SHOP, customers.slice(run * batch, (run + 1) * batch));
      const s = performance.now();
      await refreshStaleProfiles(ctx, SHOP);
      times.push(performance.now() - s);
    }
    report(`rescore ${batch} (profiles + segments, one refresh)`, { runs: times.length, p50Ms: Math.round(percentile(times, 0.5)), p95Ms: Math.round(percentile(times, 0.95)) });
  }

  const engine = createSyncEngine({ prisma, databaseUrl: db.config.url, disabledJobs: ["recompute", "reconcile", "backfill"], adminClient: async () => { throw new Error("no Admin API in this bench"); } });
  await engine.start();
  let seq = 0;
  for (const rate of rates) {
    const sent = new Map<string, number>(); // customer → recording time of their last order
    const t = performance.now();
    let offered = 0;
    while (performance.now() - t < seconds * 1000) {
      const due = Math.floor(((performance.now() - t) / 1000) * rate);
      for (; offered < due; offered++) {
        const customer = customers[Math.floor(Math.random() * customers.length)];
        const id = 990_000_000 + ++seq;
        const at = new Date().toISOString();
        const payload = JSON.stringify({ id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}`, created_at: at, updated_at: at, processed_at: at, currency: "EUR", current_total_price: "42.00", current_subtotal_price: "42.00", total_price: "42.00", subtotal_price: "42.00", test: false, cancelled_at: null, source_name: "web", customer: { id: 1, admin_graphql_api_id: customer }, line_items: [], refunds: [] });
        await recordWebhook({ shop: SHOP, topic: "orders/create", webhookId: `bench-${id}`, payload, triggeredAt: new Date() });
        sent.set(customer, Date.now());
        await engine.enqueueWebhookApply(SHOP);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Drain: every customer's profile rewritten after their last order.
    const deadline = Date.now() + Number(process.env.BENCH_DRAIN_MS ?? 10 * 60_000);
    let latencies: number[] = [];
    for (;;) {
      // In chunks: at 100 orders/s the customers outnumber SQLite's parameter limit.
      const ids = [...sent.keys()];
      const rows = [];
      for (let i = 0; i < ids.length; i += 500) {
        rows.push(...(await prisma.customerProfile.findMany({ where: { shop: SHOP, customerShopifyId: { in: ids.slice(i, i + 500) }, refreshedAt: { not: null } }, select: { customerShopifyId: true, refreshedAt: true } })));
      }
      latencies = rows.filter((r) => r.refreshedAt!.getTime() >= sent.get(r.customerShopifyId)!).map((r) => r.refreshedAt!.getTime() - sent.get(r.customerShopifyId)!);
      if (latencies.length >= sent.size || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (latencies.length < sent.size) {
      const events = await prisma.webhookEvent.groupBy({ by: ["status"], where: { shop: SHOP }, _count: { _all: true } });
      const jobs = await prisma.job.findMany({ where: { shop: SHOP }, select: { kind: true, status: true, lastError: true } });
      const failed = await prisma.webhookEvent.findFirst({ where: { shop: SHOP, status: "failed" }, select: { lastError: true } });
      console.error(JSON.stringify({ notDrained: true, events, failed, stale: await prisma.staleProfile.count({ where: { shop: SHOP } }), jobs }));
    }
    report(`order webhook 200 → profile written at ${rate}/s for ${seconds} s`, { offered, customers: sent.size, measured: latencies.length, p50Ms: Math.round(percentile(latencies, 0.5)), p95Ms: Math.round(percentile(latencies, 0.95)), maxMs: Math.round(Math.max(...latencies)) });
  }
  await engine.stop();
} finally {
  await closeWebhookIntake();
  await closeBulkConnections();
  await db.drop();
}
