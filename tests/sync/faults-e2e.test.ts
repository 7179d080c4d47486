/**
 * Faults mid-backfill (issue #10 §4): the import notices a lost database or a dead worker and
 * resumes on its own, within a minute of the database answering again or the worker's
 * replacement starting, with log lines saying so, and ends with every order imported once.
 * - PostgreSQL: the app reaches the database through a TCP proxy in the test, which is cut
 *   (every connection dropped, new ones refused) for 30 s after the third batch.
 * - A worker killed mid-job (SIGKILL: no release, no more heartbeats): its job is taken over
 *   by the next worker with the default lock settings.
 * - Shopify's Admin API answering 503 for 30 s (the simulator's injected outage): requests are
 *   retried with backoff (each retry logged), and the import completes exactly once it answers.
 */
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { startHarness, waitFor, type Harness } from "./simulator-harness";
import { activeWorkers } from "../../app/sync/jobs/worker-registry";
import { setLogSink } from "../../app/log.server";

/** A TCP proxy to PostgreSQL that the test can cut and restore. */
async function startCuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    async close() {
      this.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const logLines: { event: string; [field: string]: unknown }[] = [];

describe.each(TEST_DIALECTS)("sync faults on %s", (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, [{ name: "outage", targetOrders: 4_000 }, { name: "killed", targetOrders: 3_000 }, { name: "incident", targetOrders: 3_000 }]);
    setLogSink((_level, line) => logLines.push(JSON.parse(line)));
  }, 120_000);
  afterAll(async () => {
    setLogSink(undefined);
    await h?.close();
  }, 60_000);
  afterEach(() => {
    expect(activeWorkers()).toEqual([]);
  });

  const completed = (engine: ReturnType<Harness["engine"]>, shop: string, timeoutMs: number, what: string) =>
    waitFor(async () => {
      const p = await engine.getSyncProgress(shop);
      return p.status === "completed" ? p : undefined;
    }, timeoutMs, what);

  it.skipIf(dialect !== "postgresql")("the database unavailable for 30 s mid-backfill: the import resumes within a minute of it coming back and completes", async () => {
    const shop = await h.installShop("outage");
    const store = h.sim.shops.outage.runtime.store;
    const url = new URL(h.app.db.config.url);
    const proxy = await startCuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const proxied = new URL(url);
    proxied.port = String(proxy.port);
    let batches = 0;
    let restoredAt = 0;
    const engine = h.engine({
      databaseUrl: proxied.toString(),
      batchSize: 200,
      afterBatch: () => {
        if (++batches !== 3) return;
        proxy.cut();
        setTimeout(() => {
          proxy.restore();
          restoredAt = Date.now();
        }, 30_000);
      },
    });
    await engine.ensureBackfill(shop);
    await engine.start();
    try {
      await waitFor(async () => (restoredAt ? true : undefined), 90_000, "the outage");
      const progress = await completed(engine, shop, 60_000, "the import resumed within a minute of the database returning");
      expect(Date.now() - restoredAt).toBeLessThan(60_000);
      expect(progress.objectsDone).toBe(store.orders.count + store.customers.count + store.products.length);
      expect(await h.app.db.prisma.order.count({ where: { shop } })).toBe(store.orders.count);
      // The operator can see what happened: the failure and the resumption.
      const about = logLines.filter((l) => l.shop === shop && l.kind === "backfill").map((l) => l.event);
      expect(about).toContain("job.failed");
      expect(about.slice(about.indexOf("job.failed"))).toContain("job.resumed");
    } finally {
      await engine.stop();
      await proxy.close();
    }
  }, 180_000);

  it("a worker killed mid-backfill: the next worker takes the job over within a minute and completes it", async () => {
    const shop = await h.installShop("killed");
    const store = h.sim.shops.killed.runtime.store;
    let batches = 0;
    let stopping: Promise<void> | null = null;
    const first = h.engine({
      batchSize: 200,
      afterBatch: () => {
        if (++batches === 3) stopping = first.stop();
      },
    });
    await first.ensureBackfill(shop);
    await first.start();
    await waitFor(async () => (stopping ? true : undefined), 60_000, "3 batches");
    await stopping;
    expect((await first.getSyncProgress(shop)).status).toBe("running");
    // What SIGKILL leaves behind (the stop above released the job; put back the dead worker's claim).
    if (dialect === "sqlite") {
      await h.app.db.prisma.job.updateMany({ where: { shop, kind: "backfill" }, data: { status: "running", lockedBy: "w-killed", lockedAt: new Date() } });
    } else {
      await h.app.db.prisma.$executeRawUnsafe(
        `UPDATE pgboss.job SET state = 'active', started_on = now(), heartbeat_on = now() WHERE name = 'backfill' AND data->>'shop' = $1 AND state IN ('created', 'retry')`,
        shop,
      );
    }
    const killedAt = Date.now();
    const second = h.engine({ batchSize: 200 });
    await second.start();
    try {
      const progress = await completed(second, shop, 75_000, "the job taken over from the killed worker");
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      expect(progress.objectsDone).toBe(store.orders.count + store.customers.count + store.products.length);
      expect(await h.app.db.prisma.order.count({ where: { shop } })).toBe(store.orders.count);
      const about = logLines.filter((l) => l.shop === shop && l.kind === "backfill").map((l) => l.event);
      if (dialect === "sqlite") expect(about).toContain("job.reclaimed");
      expect(about).toContain("job.resumed");
      expect(about).toContain("backfill.resumed");
    } finally {
      await second.stop();
    }
  }, 150_000);

  it("Shopify answering 503 for 30 s mid-backfill: the import retries, says so, and completes exactly within a minute of the API recovering", async () => {
    const shop = await h.installShop("incident");
    const runtime = h.sim.shops.incident.runtime;
    let failures = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await h.sim.fetch(input, init);
      if (response.status >= 500) failures++;
      return response;
    };
    let batches = 0;
    let outageEnds = 0;
    const engine = h.engine({
      fetch: countingFetch,
      batchSize: 200,
      afterBatch: () => {
        if (++batches !== 3) return;
        outageEnds = Date.now() + 30_000;
        runtime.adminOutage = { status: 503, until: outageEnds };
      },
    });
    await engine.ensureBackfill(shop);
    await engine.start();
    try {
      const progress = await completed(engine, shop, 120_000, "the import after the Admin API outage");
      expect(outageEnds).toBeGreaterThan(0);
      expect(Date.now() - outageEnds).toBeLessThan(60_000);
      expect(failures).toBeGreaterThanOrEqual(1);
      expect(progress.objectsDone).toBe(runtime.store.orders.count + runtime.store.customers.count + runtime.store.products.length);
      expect(await h.app.db.prisma.order.count({ where: { shop } })).toBe(runtime.store.orders.count);
      expect(await h.app.db.prisma.customer.count({ where: { shop } })).toBe(runtime.store.customers.count);
      const retries = logLines.filter((l) => l.shop === shop && l.event === "admin_api.retrying");
      expect(retries.length).toBeGreaterThanOrEqual(1);
      expect(retries.every((l) => l.status === 503)).toBe(true);
    } finally {
      runtime.adminOutage = null;
      await engine.stop();
    }
  }, 180_000);
});
