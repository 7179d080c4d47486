/**
 * The Customers page (F7) lists the authenticated shop's scored customers: 50 a page with every
 * customer exactly once, sorted by the chosen column (customers without a prediction last),
 * filtered by lifecycle stage, never another shop's customers, and redacted customers anonymous.
 * Bad URL parameters are a 400 that names the parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  /** Every page of a listing, until an empty page. */
  const allPages = async (query: string) => {
    const ids: string[] = [];
    for (let page = 1; page < 10; page++) {
      const list = await load(SHOP, `${query}&page=${page}`);
      expect(list.rows.length).toBeLessThanOrEqual(50);
      if (list.rows.length === 0) break;
      ids.push(...list.rows.map((r) => r.customerShopifyId));
    }
    return ids;
  };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<CustomersRoute>("~/routes/app.customers");
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
    const prisma = app.db.prisma;
    const snapshot = await prisma.analysisSnapshot.create({ data: { shop: SHOP, asOf: day(200), customers: COUNT, orders: 0, data: "{}" } });
    const score = (shop: string, s: Seed, snapshotId: number) => ({
      shop,
      customerShopifyId: s.id,
      snapshotId,
      orders: 2,
      x: 1,
      tx: 10,
      T: 20,
      totalSpent: s.totalSpent,
      aov: "10.00",
      firstOrderAt: day(0),
      lastOrderAt: day(s.lastOrderDay),
      daysSinceLastOrder: 200 - s.lastOrderDay,
      pAlive: s.pAlive,
      churnRisk: s.pAlive === null ? null : s.pAlive < 0.3 ? "high" : s.pAlive < 0.7 ? "medium" : "low",
      expectedPurchases: s.pAlive === null ? null : 0.8,
      clv: s.clv,
      clvLow: s.clv === null ? null : s.clv * 0.8,
      clvHigh: s.clv === null ? null : s.clv * 1.2,
      nextOrderAt: s.clv === null ? null : day(210),
      lifecycle: s.lifecycle,
      customerGroup: "loyal",
      r: 3,
      f: 3,
      m: 3,
      rfmGroup: "loyal",
      reason: "usually orders every 32 days; last order 71 days ago",
    });
    await prisma.customerScore.createMany({ data: seeds.map((s) => score(SHOP, s, snapshot.id)) });
    // Another shop with the highest CLVs, same customer ids for some: never listed for SHOP.
    const other = await prisma.analysisSnapshot.create({
      data: { shop: OTHER_SHOP, asOf: day(200), customers: 3, orders: 0, data: JSON.stringify({ revenueBasis: "net_sales", ordersWithoutNetSales: 0 }) },
    });
    await prisma.customerScore.createMany({
      data: [0, 1, 2].map((i) => score(OTHER_SHOP, { ...seeds[i + 1], id: i === 0 ? seeds[1].id : `gid://shopify/Customer/9${i}`, clv: 1e6 + i }, other.id)),
    });
    await prisma.customer.createMany({
      data: [
        { shop: SHOP, shopifyId: seeds[1].id, firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
        { shop: SHOP, shopifyId: seeds[2].id, firstName: null, lastName: null, email: "gone@example.com", redactedAt: day(150) },
        { shop: OTHER_SHOP, shopifyId: seeds[3].id, firstName: "Other", lastName: "Shop", email: "other@example.com" },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("lists every customer exactly once over 50-row pages, by predicted CLV, highest first, unpredicted last", async () => {
    const first = await load(SHOP);
    expect(first.total).toBe(COUNT);
    expect(first.rows).toHaveLength(50);
    expect(first.query).toEqual({ sort: "clv", direction: "desc", page: 1, lifecycle: null });
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
    const list = await load(SHOP, "sort=lastOrder&direction=asc&page=1");
    const row = (id: string) => list.rows.find((r) => r.customerShopifyId === id)!;
    // seeds 1, 2, 3 have last-order days 7, 14, 21: on the first page in ascending order.
    expect(row(seeds[1].id)).toMatchObject({ anonymous: false, name: "Ada Lovelace", email: "ada@example.com" });
    expect(row(seeds[2].id)).toMatchObject({ anonymous: true, name: null, email: null });
    // seed 3's Customer row belongs to the other shop.
    expect(row(seeds[3].id)).toMatchObject({ anonymous: true, name: null, email: null });
    expect(row(seeds[1].id)).toMatchObject({
      clv: seeds[1].clv,
      clvLow: seeds[1].clv! * 0.8,
      clvHigh: seeds[1].clv! * 1.2,
      nextOrderAt: day(210).toISOString().slice(0, 10),
      lastOrderAt: day(7).toISOString().slice(0, 10),
      totalSpent: Number(seeds[1].totalSpent),
      reason: "usually orders every 32 days; last order 71 days ago",
    });
  });

  it("lists only the other shop's own customers for the other shop", async () => {
    const list = await load(OTHER_SHOP);
    expect(list.total).toBe(3);
    expect(list.rows.map((r) => r.clv)).toEqual([1e6 + 2, 1e6 + 1, 1e6]);
  });

  it("states the revenue basis of the money amounts: the one their snapshot was computed on", async () => {
    expect((await load(OTHER_SHOP)).revenueBasis).toBe("net_sales");
    // A snapshot that records no basis was computed on current order totals.
    expect((await load(SHOP)).revenueBasis).toBe("current_total");
  });

  it.each([
    ["sort=name", "sort"],
    ["direction=up", "direction"],
    ["page=0", "page"],
    ["page=two", "page"],
    ["page=1.5", "page"],
    ["lifecycle=dormant", "lifecycle"],
    ["sort=clv&sort=pAlive", "sort"],
  ])("answers ?%s with 400 naming %s", async (query, field) => {
    const response = (await responseOf(() => route.loader({ request: request(SHOP, query), params: {}, context: {} }))) as Response;
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ error: "invalid-query", field });
    expect(body.message).toEqual(expect.any(String));
  });

  it("ignores Shopify's own parameters and empty filters", async () => {
    const list = await load(SHOP, "host=abc&shop=x&locale=nl&embedded=1&lifecycle=&page=");
    expect(list.query).toEqual({ sort: "clv", direction: "desc", page: 1, lifecycle: null });
    expect(list.total).toBe(COUNT);
  });
});
