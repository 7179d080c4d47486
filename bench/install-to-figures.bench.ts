/**
 * Install to first figures (issue #16 item 6): a shop of N simulated orders is installed, and the
 * app's own sync engine (app/jobs/worker.server.ts, as the server runs it) backfills it through
 * the simulator's bulk operations — export, download, import — and runs the recompute it queues,
 * until the first analysis is stored. The backfill starts the three exports together (decision
 * 041), so the orders' export runs while the products and customers are imported. Phases come
 * from the simulator's bulk operation records (export), the SyncRun's stage changes (download +
 * import) and the recompute's own timings.
 *
 *   npx tsx bench/install-to-figures.bench.ts [orders=1000000] [sqlite|postgresql]
 *   BENCH_SIM_NICE=19 npx tsx bench/install-to-figures.bench.ts …   (the simulator at a low priority)
 *
 * The simulator runs in its own process (this file, forked with BENCH_ROLE=simulator), as
 * `scripts/start.sh` runs it and as Shopify exports on its own servers; the app reaches it over
 * HTTP through the same rewriting fetch the server uses with SHOPIFY_SIMULATOR_URL. Both processes
 * share the machine's cores (the app's parse thread is a third busy thread). The backfill polls the
 * bulk operation every 250 ms (the finish webhook is not wired here), so each stage may start up to
 * 250 ms late. The export intervals are the simulator's own bulk operation records (milliseconds,
 * over IPC: the GraphQL API gives whole seconds).
 */
import { fork } from "node:child_process";
import os from "node:os";
import { createTestDatabase, type Dialect } from "../tests/db/test-database";
import { createShopifySimulator } from "../tools/shopify-sim/simulator";
import { simulatorFetch } from "../app/config/shopify-simulator.server";
import { createSyncEngine } from "../app/jobs/worker.server";
import { readCurrentAnalysis } from "../app/snapshots/read-analysis.server";
import { closeBulkConnections } from "../app/db/bulk-connections.server";
import { setLogSink } from "../app/log.server";

const orders = Number(process.argv[2] ?? 1_000_000);
const dialect = (process.argv[3] ?? "sqlite") as Dialect;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (maxRssKb: number) => `${Math.round((maxRssKb * 1024) / 1e6)} MB`;

/** The simulator's side of the bench: what it reports to the app's side over IPC. */
type SimReady = { url: string; domain: string; accessToken: string; orders: number; customers: number; lineItems: number; generatedMs: number };
type SimOp = { query: string; createdAt: number; completedAt: number | null; rootObjectCount: number; objectCount: number; fileSize: number };
type SimReport = { ops: SimOp[]; cpuSeconds: number; maxRssKb: number };

if (process.env.BENCH_ROLE === "simulator") {
  const started = performance.now();
  const sim = await createShopifySimulator({ seed: 1, historyEnd: Date.UTC(2026, 11, 2), shops: [{ name: "big", targetOrders: orders }] });
  const store = sim.shops.big.runtime.store;
  const ready: SimReady = {
    url: sim.url, domain: sim.shops.big.domain, accessToken: sim.shops.big.accessToken, orders: store.orders.count,
    customers: store.customers.count, lineItems: store.orders.lineStart[store.orders.count], generatedMs: performance.now() - started,
  };
  // The generation's CPU is not part of the install: count from here.
  const cpu = process.cpuUsage();
  process.on("message", (message) => {
    if (message !== "report") return;
    const used = process.cpuUsage(cpu);
    const ops = sim.shops.big.runtime.bulkOperations
      .filter((op) => op.type === "QUERY")
      .map(({ query, createdAt, completedAt, rootObjectCount, objectCount, fileSize }) => ({ query, createdAt, completedAt, rootObjectCount, objectCount, fileSize }));
    const report: SimReport = { ops, cpuSeconds: (used.user + used.system) / 1e6, maxRssKb: process.resourceUsage().maxRSS };
    process.send!(report, () => void sim.close().then(() => process.exit(0)));
  });
  process.send!(ready);
} else {
  await runApp();
}

async function runApp() {
  const loads: number[] = [];
  const loadTimer = setInterval(() => loads.push(os.loadavg()[0]), 5_000);

  const db = await createTestDatabase(dialect);
  const child = fork(process.argv[1], process.argv.slice(2), { env: { ...process.env, BENCH_ROLE: "simulator" }, execArgv: process.execArgv });
  // BENCH_SIM_NICE=n lowers the simulator's priority, so that on a small machine its exports take
  // only the CPU the app leaves (at a real store Shopify exports on its own servers).
  const simNice = Number(process.env.BENCH_SIM_NICE ?? 0);
  if (simNice) os.setPriority(child.pid!, simNice);
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`simulator process exited with ${code}`))));
  const nextMessage = <T>() => Promise.race([new Promise<T>((resolve) => child.once("message", (m) => resolve(m as T))), exited]);
  const sim = await nextMessage<SimReady>();
  console.log(
    `${dialect}: generated ${sim.orders} orders, ${sim.customers} customers, ${sim.lineItems} line items in ${seconds(sim.generatedMs)} ` +
      `in the simulator's process${simNice ? ` (nice ${simNice})` : ""} (load ${os.loadavg()[0].toFixed(2)})`,
  );

  // What token exchange + afterAuth leave behind: the offline session and the Shop row.
  const shop = sim.domain;
  await db.prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_customers,read_orders,read_all_orders,read_products", accessToken: sim.accessToken },
  });
  await db.prisma.shop.upsert({ where: { shop }, create: { shop }, update: {} });

  const recomputes: { time: string; load: number; analyse: number; write: number; sortIndexes: number; prune: number }[] = [];
  // The app's log lines (app/log.server.ts): the recompute's "done" line says when the figures were stored.
  /** After the first figures: the indexes the first import left to the recompute (decision 049), and the segments' first refresh. */
  let indexesBuilt: { time: string; ms: number } | null = null;
  let segmentsRefreshed: Date | null = null;
  setLogSink((level, line) => {
    if (line.includes(`"recompute.done"`)) recomputes.push(JSON.parse(line));
    if (line.includes(`"recompute.indexes-built"`)) indexesBuilt ??= JSON.parse(line);
    if (line.includes(`"segments.refreshed"`)) segmentsRefreshed ??= new Date(JSON.parse(line).time);
    (level === "error" ? process.stderr : process.stdout).write(line + "\n");
  });

  const engine = createSyncEngine({ prisma: db.prisma, databaseUrl: db.config.url, fetch: simulatorFetch(sim.url), pollIntervalMs: 250, onError: (e) => console.error(e) });
  const cpu = process.cpuUsage();
  const load = os.loadavg()[0];
  const t0 = Date.now();
  await engine.start();
  await engine.ensureBackfill(shop);

  // Phases from the records' own timestamps (the simulator's bulk operations, SyncRun.finishedAt):
  // this loop's polls can be late while an import or a recompute holds the thread.
  let figures: Date | null = null;
  /** When each stage's import began: the SyncRun keeps the current stage's start, seen here before the next replaces it. */
  const stageStarts: Record<string, number> = {};
  for (;;) {
    const run = await db.prisma.syncRun.findFirst({ where: { shop, kind: "backfill" }, orderBy: { id: "desc" } });
    if (run?.status === "failed") throw new Error(`backfill failed: ${run.errorCode} ${run.error}`);
    if (run?.stage && run.stageStartedAt && !(run.stage in stageStarts)) stageStarts[run.stage] = run.stageStartedAt.getTime();
    if (run?.status === "completed" && (await readCurrentAnalysis(db.prisma, shop))) {
      // Seen here within 100 ms of being stored (the snapshot's completedAt is the recompute's start).
      figures = new Date();
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The poll above runs on the thread the worker uses: a long synchronous step after the recompute
  // (the segments' refresh on SQLite) can hold it for minutes, so the recompute's own "done" line
  // says when the figures were stored: its time less what came after the switch (the sort
  // indexes, decision 067, and the prune).
  const switched = recomputes[0] && new Date(Date.parse(recomputes[0].time) - recomputes[0].sortIndexes - recomputes[0].prune);
  if (switched && switched < figures) figures = switched;
  const run = await db.prisma.syncRun.findFirstOrThrow({ where: { shop, kind: "backfill" }, orderBy: { id: "desc" } });
  const backfillDone = run.finishedAt!.getTime();
  const total = figures.getTime() - t0;
  const used = process.cpuUsage(cpu);
  // The segments' first refresh follows the recompute (a job of its own): wait for it, to say when.
  for (const until = Date.now() + 600_000; !segmentsRefreshed && Date.now() < until; ) await new Promise((r) => setTimeout(r, 250));
  await engine.stop();
  child.send("report");
  const { ops, cpuSeconds: simCpu, maxRssKb: simRss } = await nextMessage<SimReport>();
  const stages = ["products", "customers", "orders"] as const;
  // Each stage's import runs from when its export is done and its stage has begun (the stage before
  // imported), until the next stage begins; the later stages' exports start with the first
  // (decision 041), so an export's interval overlaps the imports before it.
  console.log(`install → first figures: ${seconds(total)} (load at start ${load.toFixed(2)}, during ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; app process CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, peak RSS ${megabytes(process.resourceUsage().maxRSS)}; simulator process CPU ${simCpu.toFixed(1)} s, peak RSS ${megabytes(simRss)})`);
  console.log(`  start (shop details, counts, exports started): ${seconds(Math.min(...ops.map((op) => op.createdAt)) - t0)}`);
  stages.forEach((stage, i) => {
    const op = ops.find((o) => new RegExp(`\\b${stage}\\s*[({]`).test(o.query));
    if (!op) return;
    const importFrom = Math.max(op.completedAt ?? 0, stageStarts[stage] ?? 0);
    // The next stage begins when its export is started (one at a time) or, for an export already
    // running, when its stage is recorded; SyncRun.stageStartedAt moves only when an export starts.
    const nextOp = i + 1 < stages.length ? ops.find((o) => new RegExp(`\\b${stages[i + 1]}\\s*[({]`).test(o.query)) : undefined;
    const importUntil = i + 1 < stages.length ? Math.max(nextOp?.createdAt ?? 0, stageStarts[stages[i + 1]] ?? 0) || backfillDone : backfillDone;
    console.log(
      `  ${stage}: bulk export ${seconds(op.createdAt - t0)} → ${seconds((op.completedAt ?? 0) - t0)} (${op.rootObjectCount} roots, ${op.objectCount} lines, ${Math.round(op.fileSize / 1e6)} MB), ` +
        `download + import ${seconds(importFrom - t0)} → ${seconds(importUntil - t0)}`,
    );
  });
  const r = recomputes[0];
  console.log(`  first analysis: stored ${seconds(figures.getTime() - backfillDone)} after the backfill completed${r ? ` (recompute load ${seconds(r.load)}, analyse ${seconds(r.analyse)}, write ${seconds(r.write)}; after the switch its sort indexes ${seconds(r.sortIndexes)}, prune ${seconds(r.prune)})` : ""}`);
  const built = indexesBuilt as { ms: number } | null;
  if (built) console.log(`  then the indexes the first import left to the recompute: ${seconds(built.ms)}`);
  const refreshed = segmentsRefreshed as Date | null;
  console.log(`  then the segments' first refresh: ${refreshed ? `done ${seconds(refreshed.getTime() - figures.getTime())} after the first figures` : "not done when the engine stopped"}`);
  console.log(`  (install at ${new Date(t0).toISOString()})`);

  clearInterval(loadTimer);
  await closeBulkConnections();
  await db.drop();
  process.exit(0);
}
