/**
 * Operations (issue #10): the health endpoint checks the database and the worker; the queue
 * view gives waiting/running/failed per job kind to the holder of OPS_TOKEN and to nobody else;
 * SIGTERM stops taking jobs, hands a running job back, closes the pools, exits 0; and every log
 * line is one JSON object with the ids to filter by and no secret, token or e-mail in it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAnalysisState } from "~/snapshots/read-analysis.server";
import { SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { TEST_API_SECRET, webhookHmac } from "./session-token";

type Loader = { loader: (args: { request: Request; params: object; context: object }) => Promise<Response> };
type WebhookRoute = { action: (args: { request: Request; params: object; context: object }) => Promise<Response> };

const OPS_TOKEN = "ops-token-0123456789abcdefghij";
const SHOP = "ops-shop.myshopify.com";

describe.each(TEST_DIALECTS)("operations on %s", (dialect) => {
  let app: AppUnderTest;
  let sync: typeof import("~/jobs/worker.server");
  const lines: string[] = [];

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    sync = await app.load<typeof import("~/jobs/worker.server")>("~/jobs/worker.server");
    const log = await app.load<typeof import("~/log.server")>("~/log.server");
    log.setLogSink((_level, line) => lines.push(line));
  }, 60_000);
  afterAll(async () => {
    delete process.env.OPS_TOKEN;
    await app?.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const route = await app.load<Loader>(path === "/healthz" ? "~/routes/healthz" : "~/routes/ops.queue");
    return (await responseOf(() => route.loader({ request: new Request(`${APP_URL}${path}`, { headers }), params: {}, context: {} }))) as Response;
  };

  it("/healthz is 503 while no worker runs, 200 with the database and a running worker", async () => {
    const stopped = await get("/healthz");
    expect(stopped.status).toBe(503);
    expect(await stopped.json()).toMatchObject({ ok: false, database: { ok: true }, worker: { state: "stopped" } });
    const engine = sync.createSyncEngine({ databaseUrl: app.db.config.url, onError: () => {} });
    await engine.start();
    try {
      const running = await get("/healthz");
      expect(running.status).toBe(200);
      expect(await running.json()).toMatchObject({ ok: true, database: { ok: true }, worker: { state: "running", overdueJobs: 0 } });
    } finally {
      await engine.stop();
    }
  }, 60_000);

  it("/ops/queue is 404 without OPS_TOKEN, with a wrong one, and when it is unset; with it, counts per kind", async () => {
    delete process.env.OPS_TOKEN;
    expect((await get("/ops/queue", { Authorization: `Bearer ${OPS_TOKEN}` })).status).toBe(404);
    process.env.OPS_TOKEN = OPS_TOKEN;
    expect((await get("/ops/queue")).status).toBe(404);
    expect((await get("/ops/queue", { Authorization: "Bearer wrong-token-0123456789abcdef" })).status).toBe(404);

    const engine = sync.createSyncEngine({ databaseUrl: app.db.config.url, onError: () => {} });
    const later = new Date(Date.now() + 3_600_000);
    await engine.queue.enqueue("reconcile", SHOP, {}, { runAt: later });
    await engine.queue.enqueue("recompute", SHOP, {}, { runAt: later });
    await engine.queue.enqueue("recompute", "other-ops.myshopify.com", {}, { runAt: later });
    try {
      const response = await get("/ops/queue", { Authorization: `Bearer ${OPS_TOKEN}` });
      expect(response.status).toBe(200);
      const view = await response.json();
      expect(view.jobs.reconcile).toEqual({ waiting: 1, running: 0, failed: 0 });
      expect(view.jobs.recompute).toEqual({ waiting: 2, running: 0, failed: 0 });
      expect(view.jobs.backfill).toEqual({ waiting: 0, running: 0, failed: 0 });
      expect(view).toHaveProperty("webhooks");
      expect(view).toHaveProperty("droppedDeliveries");
    } finally {
      await engine.queue.cancelShopJobs(SHOP);
      await engine.queue.cancelShopJobs("other-ops.myshopify.com");
      await engine.stop();
    }
  }, 60_000);

  it("after an upgrade that changed the analysis document, a shop is analysed again at once, and its pages say the figures are being recalculated", async () => {
    const shop = "ops-upgrade.myshopify.com";
    const prisma = app.db.prisma;
    await prisma.shop.create({ data: { shop, ianaTimezone: "UTC" } });
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const stored = (version: number) => prisma.analysisSnapshot.create({ data: { shop, asOf: today, customers: 0, orders: 0, version, data: "{}", completedAt: new Date() } });
    // Today's analysis, stored by the release before: no page reads it, and no new day is due.
    await stored(SNAPSHOT_VERSION - 1);
    const engine = sync.createSyncEngine({ databaseUrl: app.db.config.url, onError: () => {} });
    try {
      expect(await engine.dailyPass({ outdatedOnly: true })).toBe(1);
      const state = await readAnalysisState(prisma, shop);
      expect(state.current).toBeNull();
      expect(state.recalculating).toBe(true);
      // Once the recompute stored today's analysis in this release's version, nothing more is queued.
      await stored(SNAPSHOT_VERSION);
      await engine.queue.cancelShopJobs(shop);
      expect(await engine.dailyPass({ outdatedOnly: true })).toBe(0);
      expect(await engine.dailyPass()).toBe(0);
    } finally {
      await engine.queue.cancelShopJobs(shop);
      await engine.stop();
    }
  }, 60_000);

  it("SIGTERM: the worker stops taking jobs and hands the running one back, then the pools close and the process exits 0", async () => {
    const { createShutdown } = await app.load<typeof import("~/shutdown.server")>("~/shutdown.server");
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const engine = sync.createSyncEngine({ databaseUrl: app.db.config.url, onError: () => {} });
    // A long job that stops at its next step when the worker stops (as the backfill does).
    const handlers = {
      backfill: async ({ signal }: { signal: AbortSignal }) => {
        started();
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
      },
    };
    await engine.queue.startWorker({ ...handlers, "apply-webhook": async () => {}, recompute: async () => {}, reconcile: async () => {} } as never);
    await engine.queue.enqueue("backfill", SHOP, {});
    await running;
    const order: string[] = [];
    let exitCode: number | undefined;
    const shutdown = createShutdown({
      stopWorker: async () => {
        await engine.queue.stopWorker();
        order.push("worker stopped");
      },
      closePools: async () => {
        order.push("pools closed");
      },
      graceMs: 10,
      exit: (code) => void (exitCode = code),
    });
    await shutdown("SIGTERM");
    expect(order).toEqual(["worker stopped", "pools closed"]);
    expect(exitCode).toBe(0);
    expect(engine.queue.running).toBe(false);
    // The job is waiting again for the next worker, not lost and not stuck as running.
    if (dialect === "sqlite") {
      expect((await app.db.prisma.job.findFirstOrThrow({ where: { shop: SHOP, kind: "backfill" } })).status).toBe("queued");
    } else {
      const states = await app.db.prisma.$queryRawUnsafe<{ state: string }[]>(`SELECT state::text AS state FROM pgboss.job WHERE name = 'backfill' AND data->>'shop' = $1`, SHOP);
      expect(states.map((s) => s.state)).toContain("created");
    }
    const events = lines.map((l) => JSON.parse(l).event);
    expect(events).toEqual(expect.arrayContaining(["shutdown.started", "shutdown.worker-stopped", "shutdown.finished"]));
    await engine.queue.cancelShopJobs(SHOP);
  }, 60_000);

  it("log lines are one JSON object each, carry shop and request ids, and never a secret, token or e-mail", async () => {
    const email = "private.person@example.org";
    await app.db.prisma.shop.create({ data: { shop: "gone-ops.myshopify.com", installState: "redacted" } });
    const route = await app.load<WebhookRoute>("~/routes/webhooks.customers.update");
    const body = JSON.stringify({ id: 1, email, first_name: "Private" });
    await route.action({
      request: new Request(`${APP_URL}/webhooks/customers/update`, {
        method: "POST",
        body,
        headers: {
          "X-Shopify-Hmac-Sha256": webhookHmac(body),
          "X-Shopify-Topic": "customers/update",
          "X-Shopify-Shop-Domain": "gone-ops.myshopify.com",
          "X-Shopify-API-Version": "2026-10",
          "X-Shopify-Webhook-Id": "wh-ops-1",
        },
      }),
      params: {},
      context: {},
    });
    const { logWarn } = await app.load<typeof import("~/log.server")>("~/log.server");
    // What careless callers might pass: the logger must keep it out of the line.
    logWarn("test.careless", {
      shop: SHOP,
      email,
      accessToken: "shpat_0123456789abcdef",
      secret: TEST_API_SECRET,
      error: `customer ${email} refused token shpat_0123456789abcdef and shprt_abcdef0123456789`,
      nested: { customer: { email, phone: "+31 6 12345678" } },
    });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(typeof entry.time).toBe("string");
      expect(["info", "warn", "error"]).toContain(entry.level);
      expect(typeof entry.event).toBe("string");
      expect(line).not.toContain(email);
      expect(line).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/);
      expect(line).not.toContain("shpat_");
      expect(line).not.toContain("shprt_");
      expect(line).not.toContain(TEST_API_SECRET);
      expect(line).not.toContain("12345678");
    }
    const dropped = lines.map((l) => JSON.parse(l)).find((e) => e.event === "webhook.dropped");
    expect(dropped).toMatchObject({ shop: "gone-ops.myshopify.com", requestId: "wh-ops-1", topic: "CUSTOMERS_UPDATE" });
  });
});
