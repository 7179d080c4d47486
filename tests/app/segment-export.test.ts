/**
 * The segment CSV export at size, on SQLite and PostgreSQL: 20,000+ members arrive complete,
 * once each, in customer id order, as one chunk per keyset page; and the stream reads the next
 * page from the database only when the client has taken the last, so the server holds one page
 * whatever the segment's size (peak memory at 100k+ members: bench/segment-export.bench.ts).
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCurrentAnalysis } from "../db/seed-analysis";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type ExportRoute = typeof import("~/routes/app.segments.$id_.export");

const SHOP = "segment-export.myshopify.com";
const MEMBERS = 20_500;
const CHUNK = 2_000;
const gid = (n: number) => `gid://shopify/Customer/${String(n).padStart(6, "0")}`;

describe.each(TEST_DIALECTS)("segment export at 20k members on %s", (dialect) => {
  let app: AppUnderTest;
  let route: ExportRoute;
  let segmentId: number;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<ExportRoute>("~/routes/app.segments.$id_.export");
    await app.storeOfflineSession(SHOP);
    const prisma = app.db.prisma;
    const snapshotId = await seedCurrentAnalysis(prisma, SHOP, []);
    const numbers = Array.from({ length: MEMBERS }, (_, i) => i + 1);
    for (let i = 0; i < numbers.length; i += CHUNK) {
      await prisma.customer.createMany({ data: numbers.slice(i, i + CHUNK).map((n) => ({ shop: SHOP, shopifyId: gid(n), firstName: `First${n}`, lastName: n % 7 === 0 ? `O'Brien, ${n}` : `Last${n}`, email: `c${n}@example.com` })) });
    }
    const ids = new Map((await prisma.customer.findMany({ where: { shop: SHOP }, select: { id: true, shopifyId: true } })).map((c) => [c.shopifyId, c.id]));
    for (let i = 0; i < numbers.length; i += CHUNK) {
      await prisma.customerProfile.createMany({
        data: numbers.slice(i, i + CHUNK).map((n) => ({
          snapshotId, customerId: ids.get(gid(n))!, shop: SHOP, customerShopifyId: gid(n), orderCount: 1 + (n % 5), repeatPurchases: n % 5, totalSpent: `${n}.25`, averageOrderValue: "1.00",
          firstOrderAt: new Date("2026-01-01T00:00:00Z"), lastOrderAt: new Date("2026-06-01T00:00:00Z"), daysSinceFirstOrder: 200, daysSinceLastOrder: 49, usualGapDays: 30,
          lifecycleStage: "active", customerGroup: "loyal", customerType: "returning", spendTier: "mid", recencyScore: 3, frequencyScore: 3, monetaryScore: 3, rfmGroup: "loyal",
          predictedClv: n % 3 === 0 ? null : n / 4,
        })),
      });
    }
    const segment = await prisma.segment.create({ data: { shop: SHOP, handle: "everyone", name: "Everyone", memberCount: MEMBERS, membersAsOf: new Date(), membersSnapshotId: snapshotId } });
    segmentId = segment.id;
    for (let i = 0; i < numbers.length; i += CHUNK) {
      await prisma.segmentMembership.createMany({ data: numbers.slice(i, i + CHUNK).map((n) => ({ shop: SHOP, segmentId, customerShopifyId: gid(n), customerId: ids.get(gid(n))!, isControl: n % 10 === 0 })) });
    }
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  const exportResponse = async () =>
    (await route.loader({
      request: new Request(`${APP_URL}/app/segments/${segmentId}/export`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` } }),
      params: { id: String(segmentId) },
      context: {},
    })) as Response;

  it("streams every member once, in order, one keyset page per chunk", async () => {
    const reader = (await exportResponse()).body!.getReader();
    const decoder = new TextDecoder();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(decoder.decode(value));
    }
    // The header, then ⌈members ÷ page⌉ pages of at most one page of rows each.
    expect(chunks).toHaveLength(1 + Math.ceil(MEMBERS / 2_000));
    const rows = parse(chunks.join(""), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(MEMBERS);
    expect(rows.map((r) => r.customer_id)).toEqual(Array.from({ length: MEMBERS }, (_, i) => gid(i + 1)));
    const sample = rows[6]; // customer 7: a comma and a quote in the name survive
    expect(sample).toMatchObject({ name: "First7 O'Brien, 7", email: "c7@example.com", total_spent: "7.25", orders: "3", predicted_clv: "1.75", hold_out: "false" });
    expect(rows[9]).toMatchObject({ customer_id: gid(10), hold_out: "true" });
    expect(rows[2].predicted_clv).toBe("");
  });

  it("reads the next page only when the client has taken the previous one", async () => {
    const prisma = app.db.prisma;
    // A second segment with the same members, emptied while its export is being read.
    const lazy = await prisma.segment.create({ data: { shop: SHOP, handle: "lazy", name: "Lazy", memberCount: MEMBERS, membersAsOf: new Date() } });
    const members = await prisma.segmentMembership.findMany({ where: { segmentId }, select: { customerShopifyId: true, customerId: true } });
    for (let i = 0; i < members.length; i += CHUNK) await prisma.segmentMembership.createMany({ data: members.slice(i, i + CHUNK).map((m) => ({ ...m, shop: SHOP, segmentId: lazy.id })) });
    const response = (await route.loader({
      request: new Request(`${APP_URL}/app/segments/${lazy.id}/export`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` } }),
      params: { id: String(lazy.id) },
      context: {},
    })) as Response;
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (let i = 0; i < 2; i++) text += decoder.decode((await reader.read()).value); // the header and the first page
    await new Promise((resolve) => setTimeout(resolve, 200));
    await prisma.segmentMembership.deleteMany({ where: { segmentId: lazy.id } });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    // A stream that had read ahead would still deliver the members it buffered before they were removed.
    const rows = parse(text, { columns: true }) as unknown[];
    expect(rows.length).toBe(2_000);
  });
});
