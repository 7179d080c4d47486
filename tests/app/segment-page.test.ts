/**
 * The segment page (issue 11 item 4) on SQLite and PostgreSQL, for a small hand-built store
 * analysed by the real recompute: every figure of the overview and the per-customer insights,
 * for the segment and for the whole store, equals a computation straight from the raw orders
 * and lines written here (test, cancelled and deleted orders excluded, guests not customers);
 * the popular products in each sort; the member list sorted, paged both ways, searched, with
 * hold-outs marked; the member count history; the CSV export; the honest empty states; and
 * never another shop's segment, nor a segment being deleted.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { TEST_DIALECTS, testSyncContext } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type PageRoute = typeof import("~/routes/app.segments.$id");
type ExportRoute = typeof import("~/routes/app.segments.$id_.export");
type SegmentPage = import("~/services/segment-page.server").SegmentPage;

const SHOP = "segment-page.myshopify.com";
const OTHER_SHOP = "segment-page-other.myshopify.com";
const AS_OF = "2026-06-30";
const DAY_MS = 86_400_000;
const AS_OF_DAY = Date.parse(`${AS_OF}T00:00:00Z`) / DAY_MS;

interface RawLine { product: string | null; title: string; quantity: number; amount: number }
interface RawOrder { customer: number | null; daysAgo: number; total: number; lines: RawLine[]; test?: boolean; cancelled?: boolean; deleted?: boolean }
interface RawCustomer { n: number; firstName: string | null; lastName: string | null; email: string | null; redacted?: boolean }

const gid = (n: number) => `gid://shopify/Customer/${n}`;
const P = (n: number, quantity: number, amount: number): RawLine => ({ product: `gid://shopify/Product/${n}`, title: `Product ${n}`, quantity, amount });

const customers: RawCustomer[] = [
  { n: 1, firstName: "Anna", lastName: "Jansen", email: "anna@example.com" },
  { n: 2, firstName: "Bram", lastName: "de Vries", email: "bram@example.com" },
  { n: 3, firstName: "Clara", lastName: "Jensen", email: "clara@example.dk" },
  { n: 4, firstName: "Daan", lastName: "Bakker", email: "daan@example.com" },
  { n: 5, firstName: "Eva", lastName: "Nielsen", email: "eva@example.dk" },
  { n: 6, firstName: "Finn", lastName: "Hansen", email: "finn@example.dk" },
  { n: 7, firstName: null, lastName: null, email: null },
  { n: 8, firstName: "Gerrit", lastName: "Visser", email: "gerrit@example.com", redacted: true },
];

// Same-day orders of one customer are avoided on purpose: orders and purchase days then agree.
const orders: RawOrder[] = [
  { customer: 1, daysAgo: 300, total: 120, lines: [P(1, 2, 80), P(2, 1, 40)] },
  { customer: 1, daysAgo: 200, total: 60.5, lines: [P(1, 1, 40), { product: null, title: "Gift wrap", quantity: 1, amount: 2.5 }, P(3, 3, 18)] },
  { customer: 1, daysAgo: 50, total: 99.99, lines: [P(2, 3, 99.99)] },
  { customer: 1, daysAgo: 40, total: 500, lines: [P(1, 9, 500)], test: true },
  { customer: 2, daysAgo: 10, total: 45, lines: [P(3, 5, 45)] },
  { customer: 2, daysAgo: 20, total: 70, lines: [P(1, 1, 70)], cancelled: true },
  { customer: 3, daysAgo: 400, total: 30, lines: [P(2, 1, 30)] },
  { customer: 3, daysAgo: 330, total: 35, lines: [P(2, 1, 35)] },
  { customer: 3, daysAgo: 250, total: 40, lines: [P(4, 2, 40)] },
  { customer: 3, daysAgo: 120, total: 25, lines: [P(1, 1, 25)] },
  { customer: 3, daysAgo: 60, total: 80, lines: [P(1, 1, 80)], deleted: true },
  { customer: 4, daysAgo: 15, total: 210, lines: [P(4, 6, 210)] },
  { customer: 4, daysAgo: 5, total: 15, lines: [P(3, 1, 15)] },
  { customer: 5, daysAgo: 600, total: 55, lines: [P(2, 2, 55)] },
  { customer: 6, daysAgo: 90, total: 400, lines: [P(1, 4, 300), P(4, 2, 100)] },
  { customer: 6, daysAgo: 30, total: 150, lines: [] },
  { customer: 7, daysAgo: 100, total: 12, lines: [P(3, 1, 12)] },
  { customer: 8, daysAgo: 80, total: 66, lines: [P(2, 2, 66)] },
  { customer: null, daysAgo: 3, total: 999, lines: [P(1, 10, 999)] },
];

/** The segment: a hand-picked set of customers (the page reads membership; it never evaluates rules). */
const MEMBERS = [1, 3, 4, 7, 8];
const HOLD_OUT = 4;

const counted = (o: RawOrder) => !o.test && !o.cancelled && !o.deleted;

/** Every figure straight from the raw rows above, for a set of customers. */
function expectedFigures(who: number[]) {
  const mine = orders.filter((o) => counted(o) && o.customer !== null && who.includes(o.customer));
  const buyers = who.filter((c) => mine.some((o) => o.customer === c));
  const lines = mine.flatMap((o) => o.lines);
  const revenue = mine.reduce((s, o) => s + o.total, 0);
  const items = lines.reduce((s, l) => s + l.quantity, 0);
  const itemRevenue = lines.reduce((s, l) => s + l.amount, 0);
  // Yearly rates per customer-year: each buyer counts max(days since first order, 30) ÷ 365 years (decision 054).
  let customerYears = 0;
  let lifetime = 0;
  const gaps: number[] = [];
  for (const c of buyers) {
    const days = mine.filter((o) => o.customer === c).map((o) => AS_OF_DAY - o.daysAgo).sort((a, b) => a - b);
    customerYears += Math.max(AS_OF_DAY - days[0], 30) / 365;
    lifetime += days[days.length - 1] - days[0];
    if (days.length > 1) {
      const between = days.slice(1).map((d, i) => d - days[i]).sort((a, b) => a - b);
      const mid = Math.floor(between.length / 2);
      gaps.push(between.length % 2 ? between[mid] : (between[mid - 1] + between[mid]) / 2);
    }
  }
  return {
    overview: { revenue, customers: buyers.length, orders: mine.length, products: items, averageProductPrice: itemRevenue / items },
    insights: {
      orderValue: revenue / mine.length,
      basketSize: items / mine.length,
      revenuePerYear: revenue / customerYears,
      customerLifetime: lifetime / buyers.length,
      daysBetweenOrders: gaps.reduce((s, g) => s + g, 0) / gaps.length,
      ordersPerYear: mine.length / customerYears,
    },
  };
}

/** The members' products from the raw rows: orders containing it, revenue, distinct customers. */
function expectedProducts(who: number[]) {
  const byProduct = new Map<string, { orders: number; revenue: number; customers: Set<number>; quantity: number }>();
  for (const o of orders.filter((o) => counted(o) && o.customer !== null && who.includes(o.customer))) {
    const seen = new Set<string>();
    for (const l of o.lines) {
      const key = l.product ?? l.title;
      const p = byProduct.get(key) ?? { orders: 0, revenue: 0, customers: new Set<number>(), quantity: 0 };
      if (!seen.has(key)) p.orders++;
      seen.add(key);
      p.revenue += l.amount;
      p.quantity += l.quantity;
      p.customers.add(o.customer!);
      byProduct.set(key, p);
    }
  }
  return [...byProduct].map(([product, p]) => ({ product, orders: p.orders, revenue: p.revenue, customers: p.customers.size, quantity: p.quantity }));
}

describe.each(TEST_DIALECTS)("segment page on %s", (dialect) => {
  let app: AppUnderTest;
  let route: PageRoute;
  let exportRoute: ExportRoute;
  let segmentId: number;
  let otherShopSegmentId: number;
  let profiles: Map<string, { predictedClv: number | null; customerId: number }>;

  const request = (shop: string, path: string) => new Request(`${APP_URL}${path}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` } });
  const load = async (id: number | string, query = "", shop = SHOP) => (await route.loader({ request: request(shop, `/app/segments/${id}?${query}`), params: { id: String(id) }, context: {} })) as SegmentPage;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<PageRoute>("~/routes/app.segments.$id");
    exportRoute = await app.load<ExportRoute>("~/routes/app.segments.$id_.export");
    const prisma = app.db.prisma;
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
    await prisma.shop.upsert({ where: { shop: SHOP }, create: { shop: SHOP, currencyCode: "EUR", ianaTimezone: "UTC" }, update: { currencyCode: "EUR", ianaTimezone: "UTC" } });
    await prisma.customer.createMany({
      data: customers.map((c) => ({ shop: SHOP, shopifyId: gid(c.n), firstName: c.firstName, lastName: c.lastName, email: c.email, redactedAt: c.redacted ? new Date("2026-06-01T00:00:00Z") : null })),
    });
    for (const [i, o] of orders.entries()) {
      const at = new Date((AS_OF_DAY - o.daysAgo) * DAY_MS + 12 * 3_600_000);
      await prisma.order.create({
        data: {
          shop: SHOP, shopifyId: `gid://shopify/Order/${i + 1}`, customerShopifyId: o.customer === null ? null : gid(o.customer), totalPrice: o.total.toFixed(2),
          shopifyCreatedAt: at, test: o.test ?? false, cancelledAt: o.cancelled ? at : null, deletedAt: o.deleted ? at : null,
          lines: { create: o.lines.map((l, j) => ({ shop: SHOP, shopifyId: `gid://shopify/LineItem/${i + 1}-${j}`, productShopifyId: l.product, title: l.title, quantity: l.quantity, amount: l.amount.toFixed(2) })) },
        },
      });
    }
    const result = await recomputeShop(testSyncContext(app.db).ctx, SHOP, { asOf: new Date(`${AS_OF}T12:00:00Z`) });
    // Predictions on a store this small may not be fitted: give some members one, as a fitted model would.
    const stored = await prisma.customerProfile.findMany({ where: { snapshotId: result!.snapshotId } });
    for (const p of stored) {
      const n = Number(p.customerShopifyId.split("/").pop());
      const clv = n % 2 === 1 ? null : n * 37.5;
      await prisma.customerProfile.update({ where: { snapshotId_customerId: { snapshotId: p.snapshotId, customerId: p.customerId } }, data: { predictedClv: clv, pAlive: clv === null ? null : 1 / n } });
    }
    profiles = new Map((await prisma.customerProfile.findMany({ where: { snapshotId: result!.snapshotId } })).map((p) => [p.customerShopifyId, p]));
    const segment = await prisma.segment.create({
      data: {
        shop: SHOP, handle: "good-customers", name: "Good customers", kind: "custom", rules: JSON.stringify({ all: [{ field: "orderCount", operator: "gte", value: 1 }] }),
        memberCount: MEMBERS.length, controlCount: 1, controlGroupPercent: 10, membersAsOf: new Date("2026-06-30T13:00:00Z"), membersSnapshotId: result!.snapshotId,
      },
    });
    segmentId = segment.id;
    await prisma.segmentMembership.createMany({ data: MEMBERS.map((n) => ({ shop: SHOP, segmentId, customerShopifyId: gid(n), customerId: profiles.get(gid(n))!.customerId, isControl: n === HOLD_OUT })) });
    await prisma.segmentMemberCount.createMany({
      data: [
        { segmentId, at: new Date("2026-06-28T13:00:00Z"), members: 3, controls: 0 },
        { segmentId, at: new Date("2026-06-30T13:00:00Z"), members: 5, controls: 1 },
        { segmentId, at: new Date("2026-06-29T13:00:00Z"), members: 4, controls: 1 },
      ],
    });
    const other = await prisma.segment.create({ data: { shop: OTHER_SHOP, handle: "good-customers", name: "Theirs", membersAsOf: new Date() } });
    otherShopSegmentId = other.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("shows the overview of the members against the whole store, from the raw orders", async () => {
    const page = await load(segmentId);
    expect(page.state).toBe("ready");
    const segment = expectedFigures(MEMBERS);
    const store = expectedFigures(customers.map((c) => c.n));
    expect(page.overview!.map((f) => f.key)).toEqual(["revenue", "customers", "orders", "products", "averageProductPrice"]);
    for (const f of page.overview!) {
      const key = f.key as keyof typeof segment.overview;
      expect([f.key, f.segment]).toEqual([f.key, expect.closeTo(segment.overview[key], 6)]);
      expect([f.key, f.store]).toEqual([f.key, expect.closeTo(store.overview[key], 6)]);
      expect([f.key, f.ofStore]).toEqual([f.key, expect.closeTo(segment.overview[key] / store.overview[key], 9)]);
    }
    // The store is the customers: the guest order's 999 is in no figure.
    expect(store.overview.revenue).toBeCloseTo(120 + 60.5 + 99.99 + 45 + 30 + 35 + 40 + 25 + 210 + 15 + 55 + 400 + 150 + 12 + 66, 6);
    expect(page.segment).toMatchObject({ name: "Good customers", kind: "custom", memberCount: 5, controlCount: 1, membershipFromEarlierAnalysis: false });
    // The stored rule goes to the page, which words it in the admin's language (rule-summary.ts).
    expect(JSON.parse(page.segment.rules)).toEqual({ all: [{ field: "orderCount", operator: "gte", value: 1 }] });
    expect(page.segment.share).toBeCloseTo(5 / customers.length, 9);
    expect(page.currencyCode).toBe("EUR");
  });

  it("shows each per-customer insight for the segment and the store, from the raw orders", async () => {
    const page = await load(segmentId);
    const segment = expectedFigures(MEMBERS);
    const store = expectedFigures(customers.map((c) => c.n));
    const clvOf = (who: number[]) => {
      const values = who.map((n) => profiles.get(gid(n))!.predictedClv).filter((v): v is number => v !== null);
      return values.reduce((s, v) => s + v, 0) / values.length;
    };
    const insights = Object.fromEntries(page.insights!.map((f) => [f.key, f]));
    expect(insights.predictedClv.segment).toBeCloseTo(clvOf(MEMBERS), 6);
    expect(insights.predictedClv.store).toBeCloseTo(clvOf(customers.map((c) => c.n)), 6);
    for (const key of Object.keys(segment.insights) as (keyof typeof segment.insights)[]) {
      expect([key, insights[key].segment]).toEqual([key, expect.closeTo(segment.insights[key], 6)]);
      expect([key, insights[key].store]).toEqual([key, expect.closeTo(store.insights[key], 6)]);
    }
  });

  it("lists the most popular products by times bought, revenue or customers", async () => {
    const expected = expectedProducts(MEMBERS);
    for (const [sort, value] of [["orders", (p: (typeof expected)[number]) => p.orders], ["revenue", (p: (typeof expected)[number]) => p.revenue], ["customers", (p: (typeof expected)[number]) => p.customers]] as const) {
      const page = await load(segmentId, sort === "orders" ? "" : `products=${sort}`);
      expect(page.products.sort).toBe(sort);
      const got = page.products.rows;
      expect(got.map((r) => r.product).sort()).toEqual(expected.map((p) => p.product).sort());
      for (let i = 1; i < got.length; i++) expect(value(got[i - 1] as never)).toBeGreaterThanOrEqual(value(got[i] as never));
      for (const row of got) {
        const p = expected.find((e) => e.product === row.product)!;
        expect({ product: row.product, orders: row.orders, customers: row.customers, quantity: row.quantity }).toEqual({ product: p.product, orders: p.orders, customers: p.customers, quantity: p.quantity });
        expect(row.revenue).toBeCloseTo(p.revenue, 6);
      }
    }
    // The line without a product id counts under its title.
    expect((await load(segmentId)).products.rows.find((r) => r.product === "Gift wrap")).toMatchObject({ orders: 1, quantity: 1 });
  });

  it("lists the members sorted, paged both ways, searched, with hold-outs marked and links to each customer", async () => {
    const all = await load(segmentId, "sort=clv&direction=desc");
    expect(all.members.total).toBe(MEMBERS.length);
    // CLV descending, customers without a prediction last, ties by customer id.
    const clv = (n: number) => profiles.get(gid(n))!.predictedClv;
    const expectedOrder = [...MEMBERS].sort((a, b) => {
      const va = clv(a);
      const vb = clv(b);
      if (va === null || vb === null) return va === vb ? (gid(a) < gid(b) ? -1 : 1) : va === null ? 1 : -1;
      return vb - va;
    });
    expect(all.members.rows.map((r) => r.customerShopifyId)).toEqual(expectedOrder.map(gid));
    expect(all.members.rows.find((r) => r.customerShopifyId === gid(HOLD_OUT))!.holdOut).toBe(true);
    expect(all.members.rows.filter((r) => r.holdOut)).toHaveLength(1);
    expect(all.members.rows.find((r) => r.customerShopifyId === gid(1))).toMatchObject({ name: "Anna Jansen", email: "anna@example.com", customerId: profiles.get(gid(1))!.customerId, orders: 3 });
    expect(all.members.rows.find((r) => r.customerShopifyId === gid(8))).toMatchObject({ anonymous: true, name: null, email: null });
    expect(all.members.rows.find((r) => r.customerShopifyId === gid(7))).toMatchObject({ anonymous: true });

    // Sorted by total spent ascending: from the raw orders.
    const spent = (n: number) => orders.filter((o) => counted(o) && o.customer === n).reduce((s, o) => s + o.total, 0);
    const bySpent = await load(segmentId, "sort=totalSpent&direction=asc");
    expect(bySpent.members.rows.map((r) => r.customerShopifyId)).toEqual([...MEMBERS].sort((a, b) => spent(a) - spent(b)).map(gid));
    const byLastOrder = await load(segmentId, "sort=lastOrder&direction=desc");
    const last = (n: number) => Math.min(...orders.filter((o) => counted(o) && o.customer === n).map((o) => o.daysAgo));
    expect(byLastOrder.members.rows.map((r) => r.customerShopifyId)).toEqual([...MEMBERS].sort((a, b) => last(a) - last(b) || (gid(a) < gid(b) ? -1 : 1)).map(gid));

    // Search: the Customers page's semantics (every word in name or e-mail, case-insensitive, redacted never).
    expect((await load(segmentId, "search=JANSEN")).members.rows.map((r) => r.customerShopifyId)).toEqual([gid(1)]);
    // A search's rows carry the member's name and e-mail like the unsearched list's.
    expect((await load(segmentId, "search=anna")).members.rows).toEqual([all.members.rows.find((r) => r.customerShopifyId === gid(1))]);
    expect((await load(segmentId, "search=example.com")).members.rows.map((r) => r.customerShopifyId).sort()).toEqual([gid(1), gid(4)]);
    expect((await load(segmentId, "search=gerrit")).members.total).toBe(0);
    expect((await load(segmentId, "search=eva")).members.total).toBe(0); // a customer, not a member
  });

  it("pages by keyset in both directions with every member exactly once", async () => {
    const prisma = app.db.prisma;
    // Every customer of the store, paged from a cursor in the middle of each sort (ties and missing predictions included).
    const big = await prisma.segment.create({ data: { shop: SHOP, handle: "everyone", name: "Everyone", membersAsOf: new Date(), memberCount: customers.length } });
    await prisma.segmentMembership.createMany({ data: customers.map((c) => ({ shop: SHOP, segmentId: big.id, customerShopifyId: gid(c.n), customerId: profiles.get(gid(c.n))!.customerId })) });
    for (const sort of ["clv", "pAlive", "lastOrder", "totalSpent"]) {
      const first = await load(big.id, `sort=${sort}&direction=desc`);
      expect(first.members.rows).toHaveLength(customers.length);
      expect(new Set(first.members.rows.map((r) => r.customerShopifyId)).size).toBe(customers.length);
      // From a cursor in the middle: the rest, then back.
      const middle = first.members.rows[3];
      const { encodeListCursor } = await app.load<typeof import("~/customers/list-cursor")>("~/customers/list-cursor");
      const value = sort === "clv" ? middle.clv : sort === "pAlive" ? middle.pAlive : sort === "lastOrder" ? middle.lastOrderAt : middle.totalSpent;
      const after = await load(big.id, `sort=${sort}&direction=desc&after=${encodeListCursor(value, middle.customerShopifyId)}`);
      expect([sort, after.members.rows.map((r) => r.customerShopifyId)]).toEqual([sort, first.members.rows.slice(4).map((r) => r.customerShopifyId)]);
      expect(after.members.from).toBe(4);
      const before = await load(big.id, `sort=${sort}&direction=desc&before=${after.members.previousCursor}`);
      expect([sort, before.members.rows.map((r) => r.customerShopifyId)]).toEqual([sort, first.members.rows.slice(0, 4).map((r) => r.customerShopifyId)]);
      expect(before.members.previousCursor).toBeNull();
    }
    await prisma.segment.delete({ where: { id: big.id } });
  });

  it("draws the member count over time in order", async () => {
    const page = await load(segmentId);
    expect(page.history).toEqual([
      { at: "2026-06-28T13:00:00.000Z", members: 3, controls: 0 },
      { at: "2026-06-29T13:00:00.000Z", members: 4, controls: 1 },
      { at: "2026-06-30T13:00:00.000Z", members: 5, controls: 1 },
    ]);
  });

  it("exports the members as a CSV attachment with their profile figures", async () => {
    const response = (await exportRoute.loader({ request: request(SHOP, `/app/segments/${segmentId}/export`), params: { id: String(segmentId) }, context: {} })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/csv/);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="good-customers-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.customer_id)).toEqual(MEMBERS.map(gid).sort());
    const spent = (n: number) => orders.filter((o) => counted(o) && o.customer === n).reduce((s, o) => s + o.total, 0);
    for (const n of MEMBERS) {
      const row = rows.find((r) => r.customer_id === gid(n))!;
      const raw = customers.find((c) => c.n === n)!;
      const anonymous = raw.redacted || (raw.firstName === null && raw.email === null);
      expect(row.name).toBe(anonymous ? "" : `${raw.firstName} ${raw.lastName}`);
      expect(row.email).toBe(anonymous ? "" : raw.email);
      expect(row.orders).toBe(String(orders.filter((o) => counted(o) && o.customer === n).length));
      expect(row.total_spent).toBe(spent(n).toFixed(2));
      expect(row.hold_out).toBe(String(n === HOLD_OUT));
      const clv = profiles.get(gid(n))!.predictedClv;
      expect(row.predicted_clv).toBe(clv === null ? "" : clv.toFixed(2));
      expect(row.lifecycle_stage).toMatch(/^(new|active|slipping-away|lost)$/);
    }
  });

  it("says why there is nothing to show: membership not computed, no members, no analysis", async () => {
    const prisma = app.db.prisma;
    const pending = await prisma.segment.create({ data: { shop: SHOP, handle: "pending", name: "Pending", kind: "builtin", builtinKey: "lifecycle:lost" } });
    const pendingPage = await load(pending.id);
    expect(pendingPage.state).toBe("not-computed");
    expect(pendingPage.overview).toBeNull();
    expect(pendingPage.segment.kind).toBe("builtin");
    const empty = await prisma.segment.create({ data: { shop: SHOP, handle: "empty", name: "Empty", membersAsOf: new Date() } });
    expect((await load(empty.id)).state).toBe("no-members");
    // The other shop has a segment but no analysis.
    expect((await load(otherShopSegmentId, "", OTHER_SHOP)).state).toBe("no-analysis");
  });

  it("answers 404 for another shop's segment, a segment being deleted, or a bad id, and 400 for a bad parameter", async () => {
    const status = async (run: () => Promise<unknown>) => ((await responseOf(run)) as Response).status;
    expect(await status(() => load(otherShopSegmentId))).toBe(404);
    expect(await status(() => load("abc"))).toBe(404);
    expect(await status(() => load(999_999))).toBe(404);
    const deleting = await app.db.prisma.segment.create({ data: { shop: SHOP, handle: "going", name: "Going", deletingAt: new Date(), membersAsOf: new Date() } });
    expect(await status(() => load(deleting.id))).toBe(404);
    expect(await status(() => load(segmentId, "products=price"))).toBe(400);
    expect(await status(() => load(segmentId, "sort=name"))).toBe(400);
    expect(await status(() => load(segmentId, "after=bm90LWEtY3Vyc29y"))).toBe(400);
    const exported = (await exportRoute.loader({ request: request(OTHER_SHOP, `/app/segments/${segmentId}/export`), params: { id: String(segmentId) }, context: {} })) as Response;
    expect(exported.status).toBe(404);
  });
});
