/**
 * Tag events against stored customer snapshots, on both databases: an event from before the
 * snapshot the tags came from changes nothing; a later one applies; events for one tag apply
 * in the order they happened, whatever order they are written in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../../tests/db/test-database";
import type { CustomerRow } from "../records/record-rows";
import { setCustomerTags, upsertCustomers } from "./record-writer";

const SHOP = "tags.myshopify.com";
const ID = "gid://shopify/Customer/9007199254740993";
const hour = (h: number) => new Date(Date.UTC(2026, 10, 22, h));

const snapshot = (tags: string[], updatedAt: Date): CustomerRow => ({
  shopifyId: ID,
  email: "t@example.com",
  firstName: null,
  lastName: null,
  phone: null,
  emailMarketingState: null,
  countryCode: null,
  country: null,
  provinceCode: null,
  province: null,
  city: null,
  tags,
  numberOfOrders: 1,
  amountSpent: "10",
  shopifyRfmGroup: null,
  predictedSpendTier: null,
  shopifyCreatedAt: hour(0),
  shopifyUpdatedAt: updatedAt,
});

describe.each(TEST_DIALECTS)("customer tags on %s", (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  }, 60_000);
  afterAll(async () => db?.drop());

  const target = () => ({ db: db.prisma, dialect });
  const tags = async () => JSON.parse((await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: ID } })).tags) as string[];

  it("orders tag events by when they happened, relative to each other and to the snapshot", async () => {
    await upsertCustomers(target(), SHOP, [snapshot(["loyal"], hour(10))]);
    expect((await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: ID } })).tagsAsOf?.toISOString()).toBe(hour(10).toISOString());

    await setCustomerTags(target(), SHOP, ID, { add: ["vip"], at: hour(9) }); // already in (or out of) the snapshot
    expect(await tags()).toEqual(["loyal"]);
    await setCustomerTags(target(), SHOP, ID, { add: ["vip"], at: hour(12) });
    expect(await tags()).toEqual(["loyal", "vip"]);
    await setCustomerTags(target(), SHOP, ID, { remove: ["VIP"], at: hour(11) }); // older than the addition
    expect(await tags()).toEqual(["loyal", "vip"]);

    // A newer snapshot replaces the tags wholesale, and events before it are ignored.
    await upsertCustomers(target(), SHOP, [snapshot(["loyal"], hour(14))]);
    expect(await tags()).toEqual(["loyal"]);
    await setCustomerTags(target(), SHOP, ID, { remove: ["loyal"], at: hour(13) });
    expect(await tags()).toEqual(["loyal"]);
    await setCustomerTags(target(), SHOP, ID, { remove: ["loyal"], at: hour(15) });
    expect(await tags()).toEqual([]);
  });

  it("a tag event for a customer not stored yet keeps its tags on a stub the snapshot later fills", async () => {
    const stubId = "gid://shopify/Customer/42";
    expect(await setCustomerTags(target(), SHOP, stubId, { add: ["early"], at: hour(8) })).toEqual({ stored: false, changed: true });
    const stub = await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: stubId } });
    expect(JSON.parse(stub.tags)).toEqual(["early"]);
    expect(await setCustomerTags(target(), SHOP, stubId, { remove: ["early"], at: hour(7) })).toEqual({ stored: true, changed: false });
    expect(JSON.parse((await db.prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: stubId } })).tags)).toEqual(["early"]);
  });
});
