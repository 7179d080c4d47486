/**
 * The analysis's customers (app/segments/analysis-customers.server.ts), counted from two index
 * ranges instead of a join of every profile to its customer, on SQLite and PostgreSQL: the same
 * number as the everyone rule's count (compile-rule.ts), leaving out customers deleted since the
 * analysis, not subtracting a deleted customer without a profile, and not counting another shop's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAnalysisCustomers } from "~/segments/analysis-customers.server";
import { countQuery } from "~/segments/compile-rule";
import { everyoneRule } from "~/segments/rule-tree";
import { seedCurrentAnalysis } from "./seed-analysis";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";

const SHOP = "analysis-customers.myshopify.com";
const OTHER_SHOP = "analysis-customers-other.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

describe.each(TEST_DIALECTS)("the analysis's customers on %s", (dialect) => {
  let db: TestDatabase;
  let snapshotId: number;
  let otherSnapshotId: number;

  const everyone = async (shop: string, id: number) => {
    const query = countQuery(everyoneRule(), { dialect, shop, snapshotId: id, now: new Date() });
    const [row] = await db.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(query.sql, ...query.params);
    return Number(row.n);
  };
  const remove = (shop: string, n: number) => db.prisma.customer.update({ where: { shop_shopifyId: { shop, shopifyId: gid(n) } }, data: { deletedAt: new Date() } });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    snapshotId = await seedCurrentAnalysis(db.prisma, SHOP, [1, 2, 3, 4, 5].map((n) => ({ customerShopifyId: gid(n) })));
    otherSnapshotId = await seedCurrentAnalysis(db.prisma, OTHER_SHOP, [1, 2, 3].map((n) => ({ customerShopifyId: gid(n) })));
    // Deleted since the analysis: two of the shop's customers with a profile, one without, one of the other shop's.
    await remove(SHOP, 2);
    await remove(SHOP, 4);
    await db.prisma.customer.create({ data: { shop: SHOP, shopifyId: gid(9), deletedAt: new Date() } });
    await remove(OTHER_SHOP, 1);
  }, 120_000);
  afterAll(async () => db?.drop());

  it("counts the profiles whose customer is not deleted, as the everyone rule does", async () => {
    expect(await countAnalysisCustomers(db.prisma, SHOP, snapshotId)).toBe(3);
    expect(await countAnalysisCustomers(db.prisma, SHOP, snapshotId)).toBe(await everyone(SHOP, snapshotId));
    expect(await countAnalysisCustomers(db.prisma, OTHER_SHOP, otherSnapshotId)).toBe(2);
    expect(await countAnalysisCustomers(db.prisma, OTHER_SHOP, otherSnapshotId)).toBe(await everyone(OTHER_SHOP, otherSnapshotId));
  });
});
