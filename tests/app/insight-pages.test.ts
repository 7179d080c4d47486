/**
 * The insight pages' loaders (geography, products, timing, acquisition, model quality) and the
 * customer page show the authenticated shop's stored analysis: each figure equals an
 * independent computation from the raw orders of a small hand-built store, or the stored
 * snapshot where the figure is a model's; another shop sees none of it; a customer page for a
 * malformed or unknown id is a 400 / 404, not a 500. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { seedInsightStore, INSIGHT_AS_OF, type InsightOrder } from "../db/insight-store";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type Insights = typeof import("~/services/insights.server");
type Ready<T> = Extract<T, { state: "ready" }>;

const SHOP = "insights-shop.myshopify.com";
const OTHER_SHOP = "insights-other.myshopify.com";

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
const cents = (v: number) => Math.round(v * 100);

describe.each(TEST_DIALECTS)("insight pages on %s", (dialect) => {
  let app: AppUnderTest;
  let store: Awaited<ReturnType<typeof seedInsightStore>>;
  let counted: InsightOrder[];
  /** The stored document, read straight from the table (not through the services). */
  let stored: { analysis: Record<string, any> };

  const request = (shop: string, path: string) => new Request(`${APP_URL}${path}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` } });
  async function load<T>(route: string, path: string, shop = SHOP, params: Record<string, string> = {}): Promise<T> {
    const module = await app.load<{ loader: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown> }>(route);
    return (await module.loader({ request: request(shop, path), params, context: {} })) as T;
  }

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    store = await seedInsightStore(app.db.prisma, app.db.config, dialect, SHOP);
    counted = store.orders.filter((o) => !o.test);
    const snapshot = await app.db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP, id: store.snapshotId } });
    stored = JSON.parse(snapshot.data);
    await app.db.prisma.shop.create({ data: { shop: OTHER_SHOP } });
    for (const shop of [SHOP, OTHER_SHOP]) await app.storeOfflineSession(shop);
  }, 180_000);
  afterAll(async () => {
    await closeBulkConnections();
    await app?.close();
  });

  it("geography: customers, revenue and LTV per country as the orders and addresses say", async () => {
    const page = await load<Ready<Awaited<ReturnType<Insights["geographyInsight"]>>>>("~/routes/app.geography", "/app/geography");
    expect(page.state).toBe("ready");
    expect(page.basis).toMatchObject({ asOf: INSIGHT_AS_OF, currencyCode: "EUR", revenueBasis: "current_total" });
    const countryOf = new Map(store.customers.map((c) => [c.id, c.country]));
    const expected = new Map<string, { customers: Set<string>; revenue: number }>();
    for (const o of counted) {
      const country = countryOf.get(o.customer)!;
      const e = expected.get(country) ?? { customers: new Set(), revenue: 0 };
      e.customers.add(o.customer);
      e.revenue += o.total;
      expected.set(country, e);
    }
    expect(page.geography.countries.map((r) => r.country).sort()).toEqual([...expected.keys()].sort());
    for (const row of page.geography.countries) {
      const e = expected.get(row.country)!;
      expect(row.customers).toBe(e.customers.size);
      expect(cents(row.revenue)).toBe(cents(e.revenue));
      expect(row.ltv).toBeCloseTo(e.revenue / e.customers.size, 6);
    }
    // Largest revenue first, as the chart draws it.
    expect(page.geography.countries.map((r) => r.revenue)).toEqual([...page.geography.countries.map((r) => r.revenue)].sort((a, b) => b - a));
    expect(page.geography.cities.find((r) => r.city === "København")?.customers).toBe(expected.get("DK")!.customers.size);
  });

  it("products: spend tiers from the profiles, the tea → kettle cross-sell audience, and the stored rankings", async () => {
    const page = await load<Ready<Awaited<ReturnType<Insights["productsInsight"]>>>>("~/routes/app.products", "/app/products");
    // Spend tiers: thirds of customers by all-time revenue (nearest rank, ties to the higher tier).
    const revenue = new Map<string, number>();
    for (const o of counted) revenue.set(o.customer, (revenue.get(o.customer) ?? 0) + o.total);
    const sorted = [...revenue.values()].sort((a, b) => a - b);
    const n = sorted.length;
    const high = sorted[n - Math.ceil(n / 3)];
    const mid = sorted[n - Math.ceil((2 * n) / 3)];
    expect(page.spendTiers.high).toBeCloseTo(high, 6);
    expect(page.spendTiers.mid).toBeCloseTo(mid, 6);
    const tierOf = (r: number) => (r >= high ? "high" : r >= mid ? "mid" : "low");
    for (const tier of ["high", "mid", "low"] as const) {
      const members = [...revenue.values()].filter((r) => tierOf(r) === tier);
      const row = page.spendTiers.tiers.find((t) => t.tier === tier)!;
      expect(row.customers).toBe(members.length);
      expect(cents(row.revenue)).toBe(cents(sum(members)));
    }
    // Bought tea (A), never a kettle (B).
    const bought = (p: string) => new Set(counted.filter((o) => o.products.includes(p)).map((o) => o.customer));
    const tea = bought("A");
    const kettle = bought("B");
    const both = [...tea].filter((c) => kettle.has(c)).length;
    const pair = page.crossSell.find((p) => p.bought === "gid://shopify/Product/A" && p.neverBought === "gid://shopify/Product/B")!;
    expect(pair).toMatchObject({ boughtTitle: "Green tea", neverBoughtTitle: "Kettle", audience: tea.size - both, both });
    expect(pair.confidence).toBeCloseTo(both / tea.size, 12);
    // Lift: P(kettle | tea) against P(kettle) among the customers who bought any product.
    const shoppers = new Set(counted.filter((o) => o.products.length > 0).map((o) => o.customer)).size;
    expect(pair.lift).toBeCloseTo(both / tea.size / (kettle.size / shoppers), 12);
    // The rankings per customer type and group are the stored ones, unchanged.
    expect(page.topByGroup).toEqual(stored.analysis.products.topByGroup);
    expect(page.topByCustomerType).toEqual(stored.analysis.products.topByCustomerType);
    // Every VIP order holds tea or another product: the VIPs' top product is one of the store's.
    expect(Object.values(store.titles)).toContain(page.topByGroup.vip[0].title);
  });

  it("a cross-sell audience is one click: a segment named in the admin's language, with the pair's audience as members and its rule read with the products' titles; a second click opens it", async () => {
    const list = await app.load<typeof import("~/routes/app.segments._index")>("~/routes/app.segments._index");
    const click = () =>
      responseOf(() =>
        list.action({
          request: new Request(`${APP_URL}/app/segments`, {
            method: "POST",
            headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` },
            body: new URLSearchParams({ bought: "gid://shopify/Product/A", neverBought: "gid://shopify/Product/B", locale: "nl" }),
          }),
          params: {},
          context: {},
        }),
      );
    const first = (await click()) as Response;
    const segment = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, kind: "custom" }, orderBy: { id: "desc" } });
    expect(first.headers.get("location")).toContain(`/app/segments/${segment.id}`);
    expect(segment.name).toBe("Kocht Green tea, nooit Kettle");
    const bought = (p: string) => new Set(counted.filter((o) => o.products.includes(p)).map((o) => o.customer));
    const kettle = bought("B");
    const audience = [...bought("A")].filter((c) => !kettle.has(c)).sort();
    const members = await app.db.prisma.segmentMembership.findMany({ where: { segmentId: segment.id }, select: { customerShopifyId: true } });
    expect(members.map((m) => m.customerShopifyId).sort()).toEqual(audience);
    const page = await load<Awaited<ReturnType<typeof import("~/services/segment-page.server").loadSegmentPage>>>("~/routes/app.segments.$id", `/app/segments/${segment.id}`, SHOP, { id: String(segment.id) });
    expect(page.segment.ruleProducts).toEqual({ "gid://shopify/Product/A": "Green tea", "gid://shopify/Product/B": "Kettle" });
    const second = (await click()) as Response;
    expect(second.headers.get("location")).toContain(`/app/segments/${segment.id}`);
    expect(await app.db.prisma.segment.count({ where: { shop: SHOP, kind: "custom" } })).toBe(1);
  });

  it("timing: orders per weekday × hour as the order times say, and the coming weeks adding up to the stored expectation", async () => {
    const page = await load<Ready<Awaited<ReturnType<Insights["timingInsight"]>>>>("~/routes/app.timing", "/app/timing");
    const expected = Array.from({ length: 7 }, () => new Array(24).fill(0));
    for (const o of counted) expected[(o.at.getUTCDay() + 6) % 7][o.at.getUTCHours()]++;
    expect(page.weekdayHour.orders).toEqual(expected);
    expect(page.weekdayHour.hasTimeOfDay).toBe(true);
    if (!("weeks" in page.comingWeeks)) throw new Error("the store should have predictions");
    expect(page.comingWeeks.weeks[0].start).toBe("2026-07-01");
    expect(page.comingWeeks.model).toBe(stored.analysis.models.default);
    expect(sum(page.comingWeeks.weeks.map((w) => w.expected))).toBeCloseTo(stored.analysis.models.totals.expectedPurchases.estimate, 2);
    // Under 30 months of orders, no yearly pattern: the page does not say the weeks follow one.
    expect(stored.analysis.models.seasonality).toMatchObject({ status: "none", reason: "history-too-short" });
    expect(page.comingWeeks.seasonal).toBe(false);
  });

  it("acquisition: new customers per month by the source of their first order", async () => {
    const page = await load<Ready<Awaited<ReturnType<Insights["acquisitionInsight"]>>>>("~/routes/app.acquisition", "/app/acquisition");
    const first = new Map<string, InsightOrder>();
    for (const o of counted) if (!first.has(o.customer) || o.at < first.get(o.customer)!.at) first.set(o.customer, o);
    const expected = new Map<string, number>();
    for (const o of first.values()) {
      const key = `${o.at.toISOString().slice(0, 7)}|${o.source}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const { sources, months, years } = page.acquisition;
    expect([...sources].sort()).toEqual(["instagram", "pos", "web"]);
    const shown = new Map<string, number>();
    for (const m of months) m.newCustomers.forEach((v, i) => v > 0 && shown.set(`${m.month}|${sources[i]}`, v));
    expect(shown).toEqual(expected);
    expect(sum(years.flatMap((y) => y.newCustomers))).toBe(first.size);
    // The same customers by the sales channel and by the first visit's source of their first order.
    const count = (key: (o: InsightOrder) => string) => {
      const m = new Map<string, number>();
      for (const o of first.values()) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
      return m;
    };
    const totals = (a: { sources: string[]; years: { newCustomers: number[] }[] }) => new Map(a.sources.map((s, i) => [s, sum(a.years.map((y) => y.newCustomers[i]))]));
    expect(totals(page.acquisition.byChannel!)).toEqual(count((o) => o.channel));
    expect(totals(page.acquisition.byFirstVisit!)).toEqual(count((o) => o.firstVisit ?? "unknown"));
    expect(page.acquisition.byFirstVisit!.sources).toContain("google");
  });

  it("model quality: the chosen model's back-test as stored, its weeks adding up to its totals", async () => {
    const page = await load<Ready<Awaited<ReturnType<Insights["modelQualityInsight"]>>>>("~/routes/app.model-quality", "/app/model-quality");
    const quality = page.quality;
    if (quality.status !== "fitted" || quality.backtest.status !== "ran") throw new Error("the store should be back-tested");
    const models = stored.analysis.models;
    expect(quality.chosen).toBe(models.default);
    expect(quality.chosenBy).toBe(models.defaultChosenBy);
    const storedChosen = models.backtest.ranking.find((r: { model: string }) => r.model === models.default);
    const chosen = quality.backtest.ranking.find((r) => r.model === quality.chosen)!;
    expect(chosen.predictedTotal).toBe(storedChosen.predictedTotal);
    expect(chosen.actualTotal).toBe(storedChosen.actualTotal);
    expect(quality.backtest.buckets).toEqual(storedChosen.buckets);
    expect(quality.backtest.aliveCalibration).toEqual(storedChosen.aliveCalibration);
    // The page says when the hold-out followed a yearly pattern: only when the back-test used one.
    expect(quality.backtest.seasonal).toBe(Array.isArray(models.backtest.seasonalFactors));
    const weekly = quality.backtest.weekly!;
    expect(sum(weekly.map((w) => w.actual))).toBe(chosen.actualTotal);
    expect(sum(weekly.map((w) => w.predicted))).toBeCloseTo(chosen.predictedTotal, 6);
    // The actual repeat purchases in the hold-out, from the raw orders: purchase days after a
    // customer's first day, within (calibration end, as-of], of customers who bought before it.
    const calibrationEnd = quality.backtest.calibrationEnd;
    const daysOf = new Map<string, Set<string>>();
    for (const o of counted) daysOf.set(o.customer, (daysOf.get(o.customer) ?? new Set()).add(o.at.toISOString().slice(0, 10)));
    let actual = 0;
    for (const days of daysOf.values()) {
      const list = [...days].sort();
      if (list[0] > calibrationEnd) continue;
      actual += list.filter((d) => d > calibrationEnd && d <= INSIGHT_AS_OF).length;
    }
    expect(chosen.actualTotal).toBe(actual);
  });

  it("customer page: the customer's orders (test orders marked), the current profile and their segments only", async () => {
    const customer = store.customers[4];
    const number = customer.id.split("/").pop()!;
    const segment = await app.db.prisma.segment.create({ data: { shop: SHOP, handle: "tea-lovers", name: "Tea lovers" } });
    await app.db.prisma.segmentMembership.create({ data: { shop: SHOP, segmentId: segment.id, customerShopifyId: customer.id } });
    const otherSegment = await app.db.prisma.segment.create({ data: { shop: OTHER_SHOP, handle: "other", name: "Other shop's segment" } });
    await app.db.prisma.segmentMembership.create({ data: { shop: OTHER_SHOP, segmentId: otherSegment.id, customerShopifyId: customer.id } });

    const page = await load<Extract<import("~/services/customer-page.server").CustomerPage, { state: "ready" }>>("~/routes/app.customers_.$id", `/app/customers/${number}`, SHOP, { id: number });
    expect(page).toMatchObject({ state: "ready", customerShopifyId: customer.id, name: customer.firstName, email: customer.email, currencyCode: "EUR" });
    const mine = store.orders.filter((o) => o.customer === customer.id).sort((a, b) => b.at.getTime() - a.at.getTime());
    expect(page.orderCount).toBe(mine.length);
    expect(page.orders.map((o) => [o.day, cents(o.amount), o.notCounted])).toEqual(mine.map((o) => [o.at.toISOString().slice(0, 10), cents(o.total), o.test ? "test" : null]));
    const profile = await app.db.prisma.customerProfile.findFirstOrThrow({ where: { snapshotId: store.snapshotId, customerShopifyId: customer.id } });
    const countedMine = mine.filter((o) => !o.test);
    expect(page.profile).toMatchObject({
      orders: countedMine.length,
      lifecycleStage: profile.lifecycleStage,
      customerGroup: profile.customerGroup,
      spendTier: profile.spendTier,
      pAlive: { value: profile.pAlive, low: profile.pAliveLow, high: profile.pAliveHigh },
      clv: { value: profile.predictedClv, low: profile.predictedClvLow, high: profile.predictedClvHigh },
    });
    expect(cents(page.profile!.totalSpent)).toBe(cents(sum(countedMine.map((o) => o.total))));
    // The stage-versus-chance note: only for a customer late by the stage and at low churn risk.
    expect(page.profile!.lateButLikelyActive).toBe(["slipping-away", "lost"].includes(profile.lifecycleStage) && profile.churnRisk === "low");
    expect(page.segments.map((s) => s.name)).toEqual(["Tea lovers"]);
    // The address as stored, with its country code for the page to name in the admin's language.
    const stored = await app.db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: customer.id } });
    expect(stored.countryCode).toMatch(/^[A-Z]{2}$/);
    expect(page.place).toEqual({ city: stored.city, province: stored.province, countryCode: stored.countryCode, country: stored.country });
  });

  it("customer page: a malformed id is a 400, an unknown one or another shop's customer a 404", async () => {
    const status = async (shop: string, id: string) => ((await responseOf(() => load("~/routes/app.customers_.$id", `/app/customers/${id}`, shop, { id }))) as Response).status;
    expect(await status(SHOP, "abc")).toBe(400);
    expect(await status(SHOP, "0123")).toBe(400);
    expect(await status(SHOP, "999999")).toBe(404);
    expect(await status(OTHER_SHOP, store.customers[0].id.split("/").pop()!)).toBe(404);
  });

  it("another shop without an analysis sees an honest empty state on every insight page, never this shop's figures", async () => {
    for (const [route, path] of [
      ["~/routes/app.geography", "/app/geography"],
      ["~/routes/app.products", "/app/products"],
      ["~/routes/app.timing", "/app/timing"],
      ["~/routes/app.acquisition", "/app/acquisition"],
      ["~/routes/app.model-quality", "/app/model-quality"],
    ]) {
      expect(await load(route, path, OTHER_SHOP)).toEqual({ state: "no-analysis", analysisStatus: { computedAt: null, recalculating: false, lastFailure: null, timeZone: "UTC" } });
    }
  });
});
