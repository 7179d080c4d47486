/**
 * CustomerProfile has no (shop, customerShopifyId) index (docs/decisions/036-profile-write-indexes.md):
 * its readers reach a profile by its primary key (snapshotId, customerId) instead. On both
 * databases: the migration gives memberships written without a customer id their customer's id
 * (the segment page joins members to profiles by it), and a customers/data_request still
 * records every profile of the customer and no one else's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "~/db.server";
import { collectCustomerData } from "~/sync/privacy/privacy";
import { migrate } from "../../scripts/db/cli";
import { seedCurrentAnalysis } from "./seed-analysis";
import { createEmptyDatabase, createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";

const MIGRATION = "20261203214338_profile_write_indexes";
const SHOP = "profile-lookups.myshopify.com";
const OTHER_SHOP = "other-profile-lookups.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

describe.each(TEST_DIALECTS)("profile lookups by primary key on %s", (dialect) => {
  it("the migration fills SegmentMembership.customerId from the member's customer", async () => {
    const empty = await createEmptyDatabase(dialect);
    let prisma = createPrismaClient(empty.config);
    try {
      await migrate(empty.config, { before: MIGRATION });
      const one = await prisma.customer.create({ data: { shop: SHOP, shopifyId: gid(1) } });
      const otherShops = await prisma.customer.create({ data: { shop: OTHER_SHOP, shopifyId: gid(2) } });
      const two = await prisma.customer.create({ data: { shop: SHOP, shopifyId: gid(2) } });
      const segment = await prisma.segment.create({ data: { shop: SHOP, handle: "vip", name: "VIP" } });
      await prisma.segmentMembership.createMany({
        data: [
          { shop: SHOP, segmentId: segment.id, customerShopifyId: gid(1) },
          { shop: SHOP, segmentId: segment.id, customerShopifyId: gid(2) },
          // No customer row: stays without an id (and without a profile).
          { shop: SHOP, segmentId: segment.id, customerShopifyId: gid(3) },
        ],
      });
      // The migration tool wants the SQLite file to itself, as at a deploy.
      await prisma.$disconnect();
      const applied = await migrate(empty.config);
      expect(applied[0]).toBe(MIGRATION);
      prisma = createPrismaClient(empty.config);
      const members = await prisma.segmentMembership.findMany({ where: { segmentId: segment.id }, orderBy: { customerShopifyId: "asc" }, select: { customerShopifyId: true, customerId: true } });
      expect(members).toEqual([
        { customerShopifyId: gid(1), customerId: one.id },
        { customerShopifyId: gid(2), customerId: two.id },
        { customerShopifyId: gid(3), customerId: null },
      ]);
      expect(two.id).not.toBe(otherShops.id);
    } finally {
      await prisma.$disconnect();
      await empty.drop();
    }
  });

  describe("customers/data_request", () => {
    let db: TestDatabase;
    const generations: number[] = [];
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      // Two generations, each with two customers of this shop; another shop has a customer with the same GID.
      for (const spent of ["10.00", "20.00"]) {
        generations.push(await seedCurrentAnalysis(db.prisma, SHOP, [{ customerShopifyId: gid(1), totalSpent: spent }, { customerShopifyId: gid(2) }]));
      }
      await seedCurrentAnalysis(db.prisma, OTHER_SHOP, [{ customerShopifyId: gid(1) }]);
    }, 60_000);
    afterAll(async () => db?.drop());

    it("records every profile of the customer, newest generation first, and none of anyone else's", async () => {
      const data = JSON.parse(await db.prisma.$transaction((tx) => collectCustomerData(tx, SHOP, gid(1))));
      expect(data.profiles.map((p: { snapshotId: number; shop: string; customerShopifyId: string; totalSpent: string }) => [p.snapshotId, p.shop, p.customerShopifyId, Number(p.totalSpent)])).toEqual([
        [generations[1], SHOP, gid(1), 20],
        [generations[0], SHOP, gid(1), 10],
      ]);
    });

    it("records no profile for a customer the shop does not know", async () => {
      const data = JSON.parse(await db.prisma.$transaction((tx) => collectCustomerData(tx, SHOP, gid(9))));
      expect(data).toMatchObject({ customer: null, orders: [], profiles: [] });
    });
  });
});
