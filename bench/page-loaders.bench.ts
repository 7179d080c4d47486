/**
 * Every page's loader service at a big store (issues #12 and #16 item 5; target p95 ≤ 150 ms at
 * 1M orders / ~275k customers on SQLite and PostgreSQL). The store is the kept one of
 * bench/big-store.ts (built on first use, minutes; reused by later runs: see there for where it
 * lives and how to rebuild it). A child process whose DATABASE_URL names that store calls each
 * page's service function — what its loader calls after authentication — once cold and then
 * `runs` times in a row, and reports first / p50 / p95 / max per page in milliseconds, the CPU
 * time of this process per load (p50 / p95) and the 1-minute load average.
 *
 *   npx tsx bench/page-loaders.bench.ts [orders=1000000] [sqlite|postgresql] [runs=30] [page filter]
 *
 * The optional filter runs only the pages whose name contains it, or one of its "|"-separated parts
 * (a part starting with "=" names one page exactly: "=/app/segments" is the list alone).
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import type { Dialect } from "../tests/db/test-database";
import { BIG_STORE_SHOP as SHOP, ensureBigStore, type BigStore } from "./big-store";

const argv = process.argv.slice(2);

type Services = {
  dashboard: typeof import("../app/services/dashboard.server");
  customerBase: typeof import("../app/services/customer-base.server");
  insights: typeof import("../app/services/insights.server");
  customers: typeof import("../app/services/customers.server");
  segments: typeof import("../app/services/segments.server");
  segmentPage: typeof import("../app/services/segment-page.server");
  customerPage: typeof import("../app/services/customer-page.server");
  customerCard: typeof import("../app/services/customer-card.server");
};
interface Fixtures {
  store: BigStore;
  /** Cursors 25,000 rows down each sort of the Customers list (page 501) and of the largest segment's members. */
  deepCustomers: Record<string, string>;
  deepMembers: string;
  /** The customer with the most orders. */
  busyCustomer: string;
}
type Page = { page: string; runs?: number; load: (s: Services, f: Fixtures) => Promise<unknown> };

const customers = (params: Record<string, string>) => async (s: Services) => {
  const { parseCustomerListQuery } = await import("../app/customers/customer-list-query");
  const parsed = parseCustomerListQuery(new URLSearchParams(params));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return s.customers.listCustomers(SHOP, parsed.query);
};
const segmentPage = (handle: keyof BigStore["segments"], params: (f: Fixtures) => Record<string, string> = () => ({})) => async (s: Services, f: Fixtures) => {
  const { parseSegmentPageQuery } = await import("../app/segment-page/segment-page-query");
  const parsed = parseSegmentPageQuery(new URLSearchParams(params(f)));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return s.segmentPage.loadSegmentPage(SHOP, f.store.segments[handle].id, parsed.query);
};

const PAGES: Page[] = [
  { page: "/app (90 days)", load: (s) => s.dashboard.getDashboard(SHOP) },
  { page: "/app?period=30d", load: (s) => s.dashboard.getDashboard(SHOP, new URLSearchParams({ period: "30d" })) },
  { page: "/app?period=12m", load: (s) => s.dashboard.getDashboard(SHOP, new URLSearchParams({ period: "12m" })) },
  { page: "/app?period=all", load: (s) => s.dashboard.getDashboard(SHOP, new URLSearchParams({ period: "all" })) },
  { page: "/app?period=custom (30 days)", load: (s) => s.dashboard.getDashboard(SHOP, new URLSearchParams({ period: "custom", from: "2024-12-02", to: SYNTHETIC_AS_OF })) },
  { page: "/app?period=custom (2023-03-15…2024-06-30)", load: (s) => s.dashboard.getDashboard(SHOP, new URLSearchParams({ period: "custom", from: "2023-03-15", to: "2024-06-30" })) },
  { page: "/app/customer-base", load: (s) => s.customerBase.getCustomerBase(SHOP) },
  { page: "/app/geography", load: (s) => s.insights.geographyInsight(SHOP) },
  { page: "/app/products", load: (s) => s.insights.productsInsight(SHOP) },
  { page: "/app/timing", load: (s) => s.insights.timingInsight(SHOP) },
  { page: "/app/acquisition", load: (s) => s.insights.acquisitionInsight(SHOP) },
  { page: "/app/model-quality", load: (s) => s.insights.modelQualityInsight(SHOP) },
  { page: "/app/customers (CLV)", load: customers({}) },
  { page: "/app/customers?sort=pAlive", load: customers({ sort: "pAlive" }) },
  { page: "/app/customers?sort=lastOrder", load: customers({ sort: "lastOrder" }) },
  { page: "/app/customers?sort=totalSpent", load: customers({ sort: "totalSpent" }) },
  { page: "/app/customers?sort=clv&direction=asc", load: customers({ sort: "clv", direction: "asc" }) },
  { page: "/app/customers?lifecycle=lost", load: customers({ lifecycle: "lost" }) },
  { page: "/app/customers?search=Emma (name)", load: customers({ search: "Emma" }) },
  { page: "/app/customers?search=Emma Nielsen-Holm (two words)", load: customers({ search: "Emma Nielsen-Holm" }) },
  { page: "/app/customers?search=c12345@ (e-mail)", load: customers({ search: "c12345@" }) },
  ...(["clv", "pAlive", "lastOrder", "totalSpent"] as const).map((sort): Page => ({ page: `/app/customers?sort=${sort}, page 501 (keyset)`, load: (s, f) => customers({ sort, after: f.deepCustomers[sort] })(s) })),
  { page: "/app/segments", load: (s) => s.segments.listSegments(SHOP) },
  { page: "/app/segments/:id (all customers)", load: segmentPage("bench-all") },
  { page: "/app/segments/:id (half)", load: segmentPage("bench-half") },
  { page: "/app/segments/:id (one in 100)", load: segmentPage("bench-one-in-100") },
  { page: "/app/segments/:id (all) members by last order", load: segmentPage("bench-all", () => ({ sort: "lastOrder" })) },
  { page: "/app/segments/:id (all) members by total spent", load: segmentPage("bench-all", () => ({ sort: "totalSpent" })) },
  { page: "/app/segments/:id (all) members page 501", load: segmentPage("bench-all", (f) => ({ after: f.deepMembers })) },
  { page: "/app/segments/:id (all) members search Emma", load: segmentPage("bench-all", () => ({ search: "Emma" })) },
  { page: "/app/segments/:id (all) products by revenue", load: segmentPage("bench-all", () => ({ products: "revenue" })) },
  { page: "/app/customers/:id (most orders)", load: (s, f) => s.customerPage.customerPage(SHOP, f.busyCustomer) },
  { page: "/api/customer-card", load: (s, f) => s.customerCard.customerCard(SHOP, f.busyCustomer) },
];

async function fixtures(store: BigStore): Promise<Fixtures> {
  const { appContext } = await import("../app/services/sync.server");
  const { encodeListCursor } = await import("../app/customers/list-cursor");
  const { prisma } = appContext();
  const DEEP = Math.min(25_000, Math.floor(store.profiles / 2));
  const deepCustomers: Record<string, string> = {};
  const orders = { clv: "predictedClv", pAlive: "pAlive", lastOrder: "lastOrderAt", totalSpent: "totalSpent" } as const;
  for (const [sort, field] of Object.entries(orders)) {
    const nullable = sort === "clv" || sort === "pAlive";
    const [row] = await prisma.customerProfile.findMany({
      where: { snapshotId: store.snapshotId },
      orderBy: [nullable ? { [field]: { sort: "desc", nulls: "last" } } : { [field]: "desc" }, { customerShopifyId: "asc" }],
      skip: DEEP,
      take: 1,
    });
    const value = sort === "lastOrder" ? row.lastOrderAt.toISOString() : sort === "totalSpent" ? row.totalSpent.toString() : (row[field as "pAlive"] ?? null);
    deepCustomers[sort] = encodeListCursor(value, row.customerShopifyId);
  }
  // The "all" segment holds every profile: its 25,001st member by CLV is the list's.
  const [member] = await prisma.customerProfile.findMany({ where: { snapshotId: store.snapshotId }, orderBy: [{ predictedClv: { sort: "desc", nulls: "last" } }, { customerShopifyId: "asc" }], skip: DEEP, take: 1 });
  const busy = await prisma.customerProfile.findFirst({ where: { snapshotId: store.snapshotId }, orderBy: [{ orderCount: "desc" }, { customerShopifyId: "asc" }] });
  return { store, deepCustomers, deepMembers: encodeListCursor(member.predictedClv, member.customerShopifyId), busyCustomer: busy!.customerShopifyId };
}

/** In a child process whose environment names the database from the start (as the server's). */
async function measure(store: BigStore, runs: number, filter: string) {
  const services: Services = {
    dashboard: await import("../app/services/dashboard.server"),
    customerBase: await import("../app/services/customer-base.server"),
    insights: await import("../app/services/insights.server"),
    customers: await import("../app/services/customers.server"),
    segments: await import("../app/services/segments.server"),
    segmentPage: await import("../app/services/segment-page.server"),
    customerPage: await import("../app/services/customer-page.server"),
    customerCard: await import("../app/services/customer-card.server"),
  };
  const f = await fixtures(store);
  const results = [];
  for (const { page, runs: pageRuns, load } of PAGES.filter((p) => filter.split("|").some((f) => (f.startsWith("=") ? p.page === f.slice(1) : p.page.includes(f))))) {
    // The first call (cold: query plans, module init, anything cached per analysis).
    const cold = performance.now();
    await load(services, f);
    const first = Math.round(performance.now() - cold);
    const times: number[] = [];
    // This process's CPU time per load: on SQLite the database works in-process, so it is the
    // load's own work, far less inflated by a busy machine than wall time (on PostgreSQL it
    // leaves out the server's work).
    const cpu: number[] = [];
    for (let i = 0; i < (pageRuns ?? runs); i++) {
      const started = performance.now();
      const c = process.cpuUsage();
      await load(services, f);
      const used = process.cpuUsage(c);
      times.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    const at = (xs: number[], q: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 10) / 10;
    };
    results.push({ page, first, p50: at(times, 0.5), p95: at(times, 0.95), max: at(times, 1), cpuP50: at(cpu, 0.5), cpuP95: at(cpu, 0.95), load: Math.round(loadavg()[0] * 10) / 10 });
    console.error(JSON.stringify(results[results.length - 1]));
  }
  const { appContext } = await import("../app/services/sync.server");
  await appContext().prisma.$disconnect();
  const { closeBulkConnections } = await import("../app/db/bulk-connections.server");
  await closeBulkConnections();
  process.stdout.write(JSON.stringify(results));
}

if (argv[0] === "--child") {
  await measure(JSON.parse(argv[1]), Number(argv[2]), argv[3] ?? "");
} else {
  const [orders = "1000000", dialectArg = "sqlite", runs = "30", filter = ""] = argv;
  const dialect = dialectArg as Dialect;
  const store = await ensureBigStore(dialect, Number(orders));
  const load = loadavg()[0];
  const env = { ...process.env, NODE_ENV: "production", SHOPIFY_API_KEY: "bench-key", SHOPIFY_API_SECRET: "bench-secret", SHOPIFY_APP_URL: "https://bench.example.test", DATABASE_URL: store.url, SCOPES: "read_customers,read_orders", SYNC_WORKER: "off" } as NodeJS.ProcessEnv;
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", JSON.stringify({ ...store, config: undefined }), runs, filter], { env, encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] });
  const results = JSON.parse(out.trim().split("\n").pop()!);
  console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, loadBefore: load, dialect, orders: store.orders, lines: store.lines, customers: store.customers, profiles: store.profiles, runs: Number(runs) }));
  console.table(results);
}
