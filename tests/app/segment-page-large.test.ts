/**
 * The segment page's member list of a large segment on SQLite and PostgreSQL: where most of the
 * analysis's customers are members, every page is read from the profiles in the sort's index
 * order, each looked up in the membership (segment-page.server.ts memberDrive); a small segment is
 * read by its members. Both must list the same rows in the same order as the Customers page's
 * sorts (value in the direction, missing values last, ties by customer id) for every sort and
 * direction, page by keyset both ways with every member exactly once and the right "from", filter
 * by lifecycle stage, and leave non-members out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCurrentAnalysis } from "../db/seed-analysis";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type PageRoute = typeof import("~/routes/app.segments.$id");
type SegmentPage = import("~/services/segment-page.server").SegmentPage;

const SHOP = "segment-page-large.myshopify.com";
const CUSTOMERS = 130;
const PAGE = 50;
const gid = (n: number) => `gid://shopify/Customer/${n}`;
// Ties (few distinct values) and missing predictions, spread over the ids.
const clvOf = (n: number) => (n % 7 === 0 ? null : (n % 13) * 10);
const pAliveOf = (n: number) => (n % 9 === 0 ? null : (n % 11) / 10);
const lost = (n: number) => n % 3 === 0;
// Many customers share a last order day and a total (ties within a page and across page ends).
const lastOrderOf = (n: number) => `2024-0${1 + (n % 4)}-1${n % 3}T00:00:00.000Z`;
const totalSpentOf = (n: number) => (n % 6) * 12.5 + (n % 4 === 0 ? 0.25 : 0);

describe.each(TEST_DIALECTS)("segment page of a large segment on %s", (dialect) => {
  let app: AppUnderTest;
  let route: PageRoute;
  const segments: Record<string, { id: number; members: number[] }> = {};

  const request = (path: string) => new Request(`${APP_URL}${path}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` } });
  const load = async (id: number, query: string) => (await route.loader({ request: request(`/app/segments/${id}?${query}`), params: { id: String(id) }, context: {} })) as SegmentPage;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<PageRoute>("~/routes/app.segments.$id");
    await app.storeOfflineSession(SHOP);
    const prisma = app.db.prisma;
    const ns = Array.from({ length: CUSTOMERS }, (_, i) => i + 1);
    await seedCurrentAnalysis(
      prisma,
      SHOP,
      ns.map((n) => ({
        customerShopifyId: gid(n),
        predictedClv: clvOf(n),
        pAlive: pAliveOf(n),
        lastOrderAt: new Date(lastOrderOf(n)),
        totalSpent: totalSpentOf(n).toFixed(2),
        lifecycleStage: lost(n) ? "lost" : "active",
      })),
    );
    const ids = new Map((await prisma.customer.findMany({ where: { shop: SHOP } })).map((c) => [c.shopifyId, c.id]));
    // Everyone; all but every tenth (non-members inside the walk); every fifteenth (a small segment).
    for (const [handle, members] of [["all", ns], ["most", ns.filter((n) => n % 10 !== 0)], ["few", ns.filter((n) => n % 15 === 0)]] as const) {
      const segment = await prisma.segment.create({ data: { shop: SHOP, handle, name: handle, membersAsOf: new Date(), memberCount: members.length } });
      await prisma.segmentMembership.createMany({ data: members.map((n) => ({ shop: SHOP, segmentId: segment.id, customerShopifyId: gid(n), customerId: ids.get(gid(n))! })) });
      segments[handle] = { id: segment.id, members: [...members] };
    }
  }, 120_000);
  afterAll(async () => app?.close());

  /** The list's order, computed here: by value in the direction, missing values last, ties by customer id. */
  const expected = (members: number[], value: (n: number) => number | string | null, direction: "asc" | "desc") =>
    [...members]
      .sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        const byId = gid(a) < gid(b) ? -1 : 1;
        if (va === null || vb === null) return va === vb ? byId : va === null ? 1 : -1;
        if (va === vb) return byId;
        return (va < vb ? -1 : 1) * (direction === "asc" ? 1 : -1);
      })
      .map(gid);

  /** Every page forwards from the first, then back from the last: the rows, each page's "from" and its cursors. */
  const walk = async (id: number, list: string) => {
    const pages: string[][] = [];
    const previous: (string | null)[] = [];
    let page = await load(id, list);
    const total = page.members.total;
    for (;;) {
      expect(page.members.from).toBe(pages.length * PAGE);
      pages.push(page.members.rows.map((r) => r.customerShopifyId));
      previous.push(page.members.previousCursor);
      if (page.members.nextCursor === null) break;
      page = await load(id, `${list}&after=${page.members.nextCursor}`);
    }
    expect(previous[0]).toBeNull();
    // Back from the last page: each earlier page again, at its place.
    for (let i = pages.length - 1; i > 0; i--) {
      const back = await load(id, `${list}&before=${previous[i]}`);
      expect(back.members.rows.map((r) => r.customerShopifyId)).toEqual(pages[i - 1]);
      expect(back.members.from).toBe((i - 1) * PAGE);
      expect(back.members.total).toBe(total);
    }
    return { total, rows: pages.flat() };
  };

  const SORTS = [["clv", clvOf], ["pAlive", pAliveOf], ["lastOrder", lastOrderOf], ["totalSpent", totalSpentOf]] as const;
  for (const handle of ["all", "most", "few"]) {
    for (const [sort, value] of SORTS) {
      for (const direction of ["desc", "asc"] as const) {
        it(`${handle} members by ${sort} ${direction}: every page forwards and back, in the list's order`, async () => {
          const { id, members } = segments[handle];
          const { total, rows } = await walk(id, `sort=${sort}&direction=${direction}`);
          expect(total).toBe(members.length);
          expect(rows).toEqual(expected(members, value, direction));
        });
      }
    }
    it(`${handle} members of one lifecycle stage by CLV, every page`, async () => {
      const { id, members } = segments[handle];
      const order = expected(members.filter((n) => !lost(n)), clvOf, "desc");
      const { total, rows } = await walk(id, `sort=clv&direction=desc&lifecycle=active`);
      expect(total).toBe(order.length);
      expect(rows).toEqual(order);
    });
  }
});
