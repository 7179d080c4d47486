/**
 * The Customers page (F7) lists the authenticated shop's scored customers: 50 a page with every
 * customer exactly once, sorted by the chosen column (customers without a prediction last),
 * filtered by lifecycle stage, never another shop's customers, and redacted customers anonymous.
 * Bad URL parameters are a 400 that names the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCurrentAnalysis } from "../db/seed-analysis";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type CustomersRoute = typeof import("~/routes/app.customers");
type CustomerList = import("~/services/customers.server").CustomerList;

const SHOP = "customers-shop.myshopify.com";
const OTHER_SHOP = "customers-other.myshopify.com";
const STAGES = ["new", "active", "slipping-away", "lost"];
const COUNT = 123;

interface Seed {
  id: string;
  clv: number | null;
  pAlive: number | null;
  lastOrderDay: number;
  totalSpent: string;
  lifecycle: string;
}

// Values chosen so that text sorting would differ from numeric sorting (9.50 < 10.00 < 100.25)
// and so that some customers tie on a value (ties go by customer id).
const seeds: Seed[] = Array.from({ length: COUNT }, (_, i) => ({
  id: `gid://shopify/Customer/${1000 + i}`,
  clv: i % 10 === 0 ? null : ((i * 37) % 41) * 10.5,
  pAlive: i % 10 === 0 ? null : ((i * 53) % 97) / 97,
  lastOrderDay: (i * 7) % 200,
  totalSpent: i % 5 === 4 ? `${(i % 13) * 3}.99` : [9.5, 10, 100.25, 1000.75][i % 5].toFixed(2),
  lifecycle: STAGES[i % 4],
}));

/** Customers named Emma (or Emmanuel: a search word matches the start of a name word). */
const namesakes = seeds.filter((_, i) => i >= 4 && i % 3 !== 0);

const day = (offset: number) => new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000);
const byId = (a: Seed, b: Seed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** Expected order: by value in the direction, missing values last, ties by id ascending. */
const expectedOrder = (value: (s: Seed) => number | null, direction: "asc" | "desc", list = seeds) =>
  [...list]
    .sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === null || vb === null) return va === vb ? byId(a, b) : va === null ? 1 : -1;
      return (direction === "asc" ? va - vb : vb - va) || byId(a, b);
    })
    .map((s) => s.id);

describe.each(TEST_DIALECTS)("customers loader on %s", (dialect) => {
  let app: AppUnderTest;
  let route: CustomersRoute;

  const request = (shop: string, query: string) =>
    new Request(`${APP_URL}/app/customers?${query}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` } });
  const load = async (shop: string, query = "") => (await route.loader({ request: request(shop, query), params: {}, context: {} })) as CustomerList;
  /**
   * Every page of a listing, following the next-page cursors to the end and then the
   * previous-page cursors back to the start: both directions must give the same rows.
   */
  const allPages = async (query: string) => {
    const pages: string[][] = [];
    let list = await load(SHOP, query);
    expect(list.previousCursor).toBeNull();
    for (;;) {
      expect(list.rows.length).toBeLessThanOrEqual(50);
      expect(list.from).toBe(pages.flat().length);
      pages.push(list.rows.map((r) => r.customerShopifyId));
      if (list.nextCursor === null) break;
      list = await load(SHOP, `${query}&after=${list.nextCursor}`);
    }
    for (let i = pages.length - 2; i >= 0; i--) {
      list = await load(SHOP, `${query}&before=${list.previousCursor}`);
      expect(list.rows.map((r) => r.customerShopifyId)).toEqual(pages[i]);
    }
    expect(list.previousCursor).toBeNull();
    return pages.flat();
  };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<CustomersRoute>("~/routes/app.customers");
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
    const prisma = app.db.prisma;
    await prisma.customer.createMany({
      data: [
        { shop: SHOP, shopifyId: seeds[1].id, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
        { shop: SHOP, shopifyId: seeds[2].id, firstName: null, lastName: null, email: "gone@example.com", redactedAt: day(150) },
        { shop: OTHER_SHOP, shopifyId: seeds[3].id, firstName: "Other", lastName: "Shop", email: "other@example.com" },
        // More namesakes than one page holds, for paging through a search's matches.
        ...namesakes.map((s, k) => ({ shop: SHOP, shopifyId: s.id, firstName: k % 4 === 0 ? "Emmanuel" : "Emma", lastName: `Holm${k}`, email: `e${k}@example.com` })),
      ],
    });
    const profile = (s: Seed) => ({
      customerShopifyId: s.id,
      orderCount: 2,
      repeatPurchases: 1,
      totalSpent: s.totalSpent,
      averageOrderValue: "10.00",
      firstOrderAt: day(0),
      lastOrderAt: day(s.lastOrderDay),
      daysSinceFirstOrder: 200,
      daysSinceLastOrder: 200 - s.lastOrderDay,
      usualGapDays: 7,
      pAlive: s.pAlive,
      churnRisk: s.pAlive === null ? null : s.pAlive < 0.3 ? "high" : s.pAlive < 0.7 ? "medium" : "low",
      expectedOrders: s.pAlive === null ? null : 0.8,
      predictedClv: s.clv,
      predictedClvLow: s.clv === null ? null : s.clv * 0.8,
      predictedClvHigh: s.clv === null ? null : s.clv * 1.2,
      nextOrderAt: s.clv === null ? null : day(210),
      lifecycleStage: s.lifecycle,
    });
    await seedCurrentAnalysis(prisma, SHOP, seeds.map(profile), { asOf: "2026-07-20" });
    // Another shop with the highest CLVs, same customer ids for some: never listed for SHOP.
    await seedCurrentAnalysis(
      prisma,
      OTHER_SHOP,
      [0, 1, 2].map((i) => profile({ ...seeds[i + 1], id: i === 0 ? seeds[1].id : `gid://shopify/Customer/9${i}`, clv: 1e6 + i })),
      { revenueBasis: "net_sales" },
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("lists every customer exactly once over 50-row pages, by predicted CLV, highest first, unpredicted last", async () => {
    const first = await load(SHOP);
    expect(first.total).toBe(COUNT);
    expect(first.rows).toHaveLength(50);
    expect(first.query).toEqual({ sort: "clv", direction: "desc", after: null, before: null, lifecycle: null, search: null });
    const ids = await allPages("sort=clv&direction=desc");
    expect(ids).toEqual(expectedOrder((s) => s.clv, "desc"));
    expect(new Set(ids).size).toBe(COUNT);
  });

  it.each([
    ["totalSpent", "asc", (s: Seed) => Number(s.totalSpent)],
    ["totalSpent", "desc", (s: Seed) => Number(s.totalSpent)],
    ["pAlive", "desc", (s: Seed) => s.pAlive],
    ["pAlive", "asc", (s: Seed) => s.pAlive],
    ["lastOrder", "desc", (s: Seed) => s.lastOrderDay],
    ["clv", "asc", (s: Seed) => s.clv],
  ] as const)("sorts by %s %s across pages", async (sort, direction, value) => {
    expect(await allPages(`sort=${sort}&direction=${direction}`)).toEqual(expectedOrder(value, direction));
  });

  it("filters by lifecycle stage", async () => {
    const lost = seeds.filter((s) => s.lifecycle === "lost");
    const list = await load(SHOP, "lifecycle=lost&sort=pAlive&direction=desc");
    expect(list.total).toBe(lost.length);
    expect(list.rows.every((r) => r.lifecycle === "lost")).toBe(true);
    expect(list.rows.map((r) => r.customerShopifyId)).toEqual(expectedOrder((s) => s.pAlive, "desc", lost));
  });

  it("shows names from the shop's own customers, redacted and unknown customers as anonymous", async () => {
    const list = await load(SHOP, "sort=lastOrder&direction=asc");
    const row = (id: string) => list.rows.find((r) => r.customerShopifyId === id)!;
    // seeds 1, 2, 3 have last-order days 7, 14, 21: on the first page in ascending order.
    expect(row(seeds[1].id)).toMatchObject({ anonymous: false, name: "Ada Lovelace", email: "ada@example.com" });
    expect(row(seeds[2].id)).toMatchObject({ anonymous: true, name: null, email: null });
    // seed 3's Customer row belongs to the other shop: here it is known by id only.
    expect(row(seeds[3].id)).toMatchObject({ anonymous: true, name: null, email: null });
    expect(row(seeds[1].id)).toMatchObject({
      clv: seeds[1].clv,
      clvLow: seeds[1].clv! * 0.8,
      clvHigh: seeds[1].clv! * 1.2,
      nextOrderAt: day(210).toISOString().slice(0, 10),
      lastOrderAt: day(7).toISOString().slice(0, 10),
      totalSpent: Number(seeds[1].totalSpent),
      // Derived from the stored profile: a 7-day usual gap, 193 days since the last order.
      reason: { kind: "rhythm", rhythmOf: "customer", usualGapDays: 7, daysSinceLastOrder: 193, daysPastRhythm: 186 },
    });
  });

  it("searches names and e-mails case-insensitively, never redacted customers or another shop's", async () => {
    expect((await load(SHOP, "search=LOVELACE")).rows.map((r) => r.name)).toEqual(["Ada Lovelace"]);
    expect((await load(SHOP, "search=ada%20love")).rows.map((r) => r.email)).toEqual(["ada@example.com"]);
    // The redacted customer's e-mail is still stored blank… and "gone" must not find them; the other shop's "Other" is not ours.
    expect((await load(SHOP, "search=gone")).total).toBe(0);
    expect((await load(SHOP, "search=other")).total).toBe(0);
    // SQL and LIKE wildcards are plain text.
    expect((await load(SHOP, "search=%25")).total).toBe(0);
    expect((await load(SHOP, "search=%27%20OR%201%3D1%20--")).total).toBe(0);
  });

  it.each([
    ["clv", "desc", (s: Seed) => s.clv],
    ["totalSpent", "asc", (s: Seed) => Number(s.totalSpent)],
    ["lastOrder", "desc", (s: Seed) => s.lastOrderDay],
  ] as const)("pages through a search's matches (more than a page) by %s %s, forwards and back, each once", async (sort, direction, value) => {
    const list = await load(SHOP, `search=EMMA&sort=${sort}&direction=${direction}`);
    expect(list.total).toBe(namesakes.length);
    expect(await allPages(`search=EMMA&sort=${sort}&direction=${direction}`)).toEqual(expectedOrder(value, direction, namesakes));
    expect((await load(SHOP, "search=emma%20holm1")).rows.map((r) => r.name).sort()).toEqual(
      namesakes.map((_, k) => k).filter((k) => String(k).startsWith("1")).map((k) => `${k % 4 === 0 ? "Emmanuel" : "Emma"} Holm${k}`).sort(),
    );
  });

  it("lists only the other shop's own customers for the other shop", async () => {
    const list = await load(OTHER_SHOP);
    expect(list.total).toBe(3);
    expect(list.rows.map((r) => r.clv)).toEqual([1e6 + 2, 1e6 + 1, 1e6]);
  });

  it("states the revenue basis of the money amounts: the one their snapshot was computed on", async () => {
    expect((await load(OTHER_SHOP)).revenueBasis).toBe("net_sales");
    // The shop's analysis was computed with the default basis, current order totals.
    expect((await load(SHOP)).revenueBasis).toBe("current_total");
  });

  it.each([
    ["sort=name", "sort", "not-one-of"],
    ["direction=up", "direction", "not-one-of"],
    ["after=not%20a%20cursor", "after", "not-a-cursor"],
    [`after=${Buffer.from('["x"]').toString("base64url")}`, "after", "not-a-cursor"],
    // A cursor of the CLV sort (a number) used with the last-order sort (a date).
    [`sort=lastOrder&before=${Buffer.from('[12.5,"gid://shopify/Customer/1"]').toString("base64url")}`, "before", "not-a-cursor"],
    ["after=abc&before=abc", "before", "after-and-before"],
    [`search=${"x".repeat(101)}`, "search", "too-long"],
    ["lifecycle=dormant", "lifecycle", "not-one-of"],
    ["sort=clv&sort=pAlive", "sort", "repeated"],
  ])("answers ?%s with 400 naming %s and why (%s)", async (query, field, reason) => {
    const response = (await responseOf(() => route.loader({ request: request(SHOP, query), params: {}, context: {} }))) as Response;
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ error: "invalid-query", field, reason });
    expect(body.message).toEqual(expect.any(String));
  });

  it("says what a refused parameter takes: the values, or the longest search", async () => {
    const body = async (query: string) => (await ((await responseOf(() => route.loader({ request: request(SHOP, query), params: {}, context: {} }))) as Response).json()) as Record<string, unknown>;
    expect(await body("lifecycle=dormant")).toMatchObject({ allowed: ["new", "active", "slipping-away", "lost"], message: "expected one of new, active, slipping-away, lost" });
    expect(await body(`search=${"x".repeat(101)}`)).toMatchObject({ max: 100, message: "at most 100 characters" });
  });

  it("says how fresh the profiles are: stored with the analysis, then as of the latest per-order refresh, in en/nl/da", async () => {
    const prisma = app.db.prisma;
    const snapshot = await prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP, completedAt: { not: null } }, orderBy: { id: "desc" } });
    const before = (await load(SHOP)).freshness!;
    expect(before.profilesUpdatedAt).toBe(snapshot.completedAt!.toISOString());
    expect(before.fittedAt).toBe(snapshot.completedAt!.toISOString());
    // What the per-order refresh writes with each batch (tests/db/refresh-profiles.test.ts): 12 s ago.
    const refreshedAt = new Date(Date.now() - 12_000);
    await prisma.analysisSnapshot.update({ where: { id: snapshot.id }, data: { profilesRefreshedAt: refreshedAt } });
    try {
      const after = (await load(SHOP)).freshness!;
      expect(after.profilesUpdatedAt).toBe(refreshedAt.toISOString());
      expect(after.fittedAt).toBe(snapshot.completedAt!.toISOString());
      const { createTranslator } = await import("~/i18n/translate");
      const { timeAgo } = await import("~/customers/time-ago");
      const line = (locale: "en" | "nl" | "da") =>
        createTranslator(locale)("customers.freshness", { updated: timeAgo(locale, after.profilesUpdatedAt, after.now), fitted: timeAgo(locale, after.fittedAt, after.now) });
      expect(line("en")).toMatch(/^Profiles updated 1[2-9] seconds ago\. /);
      expect(line("nl")).toMatch(/^Profielen bijgewerkt: 1[2-9] seconden geleden\. /);
      expect(line("da")).toMatch(/^Profiler opdateret for 1[2-9] sekunder siden\. /);
    } finally {
      await prisma.analysisSnapshot.update({ where: { id: snapshot.id }, data: { profilesRefreshedAt: null } });
    }
  });

  it("ignores Shopify's own parameters and empty filters", async () => {
    const list = await load(SHOP, "host=abc&shop=x&locale=nl&embedded=1&lifecycle=&after=&search=%20");
    expect(list.query).toEqual({ sort: "clv", direction: "desc", after: null, before: null, lifecycle: null, search: null });
    expect(list.total).toBe(COUNT);
  });
});
