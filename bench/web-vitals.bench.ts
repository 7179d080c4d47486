/**
 * Core Web Vitals of the app's pages in Chromium (issue #12 "Benchmark"; Built for Shopify:
 * LCP ≤ 2.5 s, CLS ≤ 0.1, INP ≤ 200 ms) on the built server, with a demo-sized store (the
 * synthetic store at 20k orders, as `scripts/start.sh`'s demo; analysed by the app's recompute
 * job), and the JavaScript each page ships. Each page is opened `runs` times in a fresh tab
 * (1280×900, no cache); the median is reported.
 *
 * - LCP and CLS: the browser's own `largest-contentful-paint` and `layout-shift` entries up to
 *   the first interaction (CLS: the sum of shifts without recent input, as web-vitals counts).
 * - INP: a proxy — the longest Event Timing entry (`event`, input to next paint) of one click on
 *   the page's first control (the period choice, "Show as table", a sort header…); a field INP
 *   needs real visits.
 * - JS: the scripts the page loaded (Resource Timing), compressed as sent and uncompressed.
 *
 *   npx tsx bench/web-vitals.bench.ts [runs=3]
 */
import { INSIGHT_CUSTOMER_PAGE, INSIGHT_PAGE_PATHS } from "../tests/e2e/insight-pages";
import fs from "node:fs";
import path from "node:path";
import { cpus, loadavg } from "node:os";
import { chromium } from "playwright-core";
import { SYNTHETIC_AS_OF } from "../app/analytics/testing/synthetic-store";
import { recomputeShop } from "../app/jobs/handlers/recompute";
import { ensureBuiltinSegments, refreshSegmentMemberships } from "../app/segments/refresh-memberships.server";
import { hostParam, mintSessionToken, TEST_API_KEY, TEST_API_SECRET } from "../tests/app/session-token";
import { seedInsightStore } from "../tests/db/insight-store";
import { seedSyntheticStore } from "../tests/db/seed-synthetic-store";
import { createTestDatabase, testSyncContext } from "../tests/db/test-database";
import { buildApp, freePort, startServer } from "../tests/e2e/app-server";

const SHOP = "bench-vitals.myshopify.com";
/** The pages measured: add a page here when it is added to the app (the customer's and a segment's pages are added below). */
const PAGES = ["/app", "/app/customer-base", "/app/customers", "/app/segments", "/app/segments/new", ...INSIGHT_PAGE_PATHS, "/app/settings"];
const runs = Number(process.argv[2] ?? 3);
const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const STAND_IN = fs.readFileSync(path.join(import.meta.dirname, "../tests/e2e/app-bridge-stand-in.js"), "utf8");

if (process.env.BENCH_SKIP_BUILD !== "1") await buildApp();
const db = await createTestDatabase("sqlite");
const seeded = await seedSyntheticStore(db, SHOP, 20_000);
await db.prisma.shop.update({ where: { shop: SHOP }, data: { currencyCode: "EUR", hasAllOrdersAccess: true } });
const { ctx } = testSyncContext(db);
await recomputeShop(ctx, SHOP, { asOf: new Date(`${SYNTHETIC_AS_OF}T12:00:00Z`) });
// The built-in segments with their members, as the refresh job after a recompute leaves them;
// the biggest one's page is measured too.
await ensureBuiltinSegments(db.prisma, SHOP);
await refreshSegmentMemberships(ctx, SHOP);
const biggest = await db.prisma.segment.findFirst({ where: { shop: SHOP }, orderBy: [{ memberCount: "desc" }, { id: "asc" }], select: { id: true } });
if (biggest) PAGES.push(`/app/segments/${biggest.id}`);
// The synthetic store's customer ids are not Shopify GIDs, so the customer page is measured on the
// insight pages' fixture store (a customer with eleven orders), under its own shop and session.
const CUSTOMER_SHOP = "bench-vitals-customer.myshopify.com";
await seedInsightStore(db.prisma, db.config, "sqlite", CUSTOMER_SHOP, 1_200);
PAGES.push(INSIGHT_CUSTOMER_PAGE);
const shopOf = (pathname: string) => (pathname === INSIGHT_CUSTOMER_PAGE ? CUSTOMER_SHOP : SHOP);
for (const shop of [SHOP, CUSTOMER_SHOP]) {
  await db.prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_customers,read_orders,read_all_orders", accessToken: "shpat_bench", expires: new Date(Date.now() + 3_600_000) },
  });
}
const port = await freePort();
const server = await startServer({ NODE_ENV: "production", SHOPIFY_API_KEY: TEST_API_KEY, SHOPIFY_API_SECRET: TEST_API_SECRET, SHOPIFY_APP_URL: `http://127.0.0.1:${port}`, DATABASE_URL: db.config.url }, port);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu"] });

interface Sample { lcp: number; cls: number; inp: number | null; jsKb: number; jsKbUncompressed: number }
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = [];
try {
  for (const pathname of PAGES) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: DESKTOP_CHROME });
      await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      await page.route("https://cdn.shopify.com/shopifycloud/app-bridge.js", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: STAND_IN }));
      await page.addInitScript(() => {
        const w = window as unknown as { __vitals: { lcp: number; cls: number; inp: number } };
        w.__vitals = { lcp: 0, cls: 0, inp: 0 };
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__vitals.lcp = e.startTime;
        }).observe({ type: "largest-contentful-paint", buffered: true });
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) w.__vitals.cls += e.value;
        }).observe({ type: "layout-shift", buffered: true });
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__vitals.inp = Math.max(w.__vitals.inp, e.duration);
        }).observe({ type: "event", buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
      });
      const shop = shopOf(pathname);
      const query = new URLSearchParams({ embedded: "1", shop, host: hostParam(shop), id_token: mintSessionToken({ shop, expiresIn: 600 }), locale: "en" });
      await page.goto(`${server.baseUrl}${pathname}?${query}`);
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(1000);
      const before = await page.evaluate(() => (window as unknown as { __vitals: { lcp: number; cls: number } }).__vitals);
      // One interaction: the first enabled control in the page.
      const control = page.locator("main select, main button, .Polaris-Page select, .Polaris-Page button").first();
      let inp: number | null = null;
      if (await control.count()) {
        await control.click({ timeout: 5_000 }).catch(() => {});
        await page.waitForTimeout(500);
        inp = await page.evaluate(() => (window as unknown as { __vitals: { inp: number } }).__vitals.inp);
      }
      const js = await page.evaluate(() =>
        (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
          .filter((e) => new URL(e.name).pathname.endsWith(".js"))
          .reduce((sum, e) => ({ sent: sum.sent + e.encodedBodySize, size: sum.size + e.decodedBodySize }), { sent: 0, size: 0 }),
      );
      samples.push({ lcp: before.lcp, cls: before.cls, inp, jsKb: js.sent / 1024, jsKbUncompressed: js.size / 1024 });
      await page.close();
    }
    const inps = samples.map((s) => s.inp).filter((v): v is number => v !== null);
    results.push({
      page: pathname,
      "LCP ms": Math.round(median(samples.map((s) => s.lcp))),
      CLS: Number(median(samples.map((s) => s.cls)).toFixed(3)),
      "INP proxy ms": inps.length ? Math.round(median(inps)) : "—",
      "JS kB sent": Math.round(median(samples.map((s) => s.jsKb))),
      "JS kB": Math.round(median(samples.map((s) => s.jsKbUncompressed))),
    });
  }
  console.log(JSON.stringify({ date: new Date().toISOString(), machine: `${cpus().length} × ${cpus()[0].model}`, load: loadavg()[0], runs, ...seeded }));
  console.table(results);
} finally {
  await browser.close();
  await server.stop();
  await db.drop();
}
