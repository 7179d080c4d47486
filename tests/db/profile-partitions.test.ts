/**
 * PostgreSQL keeps each generation of profiles in a partition of its own
 * (docs/decisions/047-profile-generations-as-partitions.md). The migration that partitions
 * CustomerProfile keeps every stored profile (in the default partition), and a store migrated
 * with profiles in it goes on: the next recomputes attach their generations beside them and
 * prune the migrated ones; a shop/redact's erasure drops the shop's generation tables.
 */
import { describe, expect, it } from "vitest";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import { createPrismaClient } from "~/db.server";
import { recomputeShop } from "~/jobs/handlers/recompute";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";
import { eraseRedactedRemnants, redactShop } from "~/sync/privacy/privacy";
import { SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";
import { migrate } from "../../scripts/db/cli";
import { createEmptyDatabase, TEST_DIALECTS, testSyncContext } from "./test-database";

const MIGRATION = "20261204173000_profile_generation_partitions";
const SHOP = "partitions.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

describe.runIf(TEST_DIALECTS.includes("postgresql"))("profile generations as partitions on postgresql", () => {
  it("the migration keeps every profile, and the next recomputes attach their generations and prune the migrated one", async () => {
    const empty = await createEmptyDatabase("postgresql");
    const prisma = createPrismaClient(empty.config);
    try {
      await migrate(empty.config, { before: MIGRATION });
      await prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC" } });
      const customers = [];
      for (let n = 1; n <= 3; n++) customers.push(await prisma.customer.create({ data: { shop: SHOP, shopifyId: gid(n) } }));
      for (let i = 0; i < 12; i++) {
        await prisma.order.create({
          data: { shop: SHOP, shopifyId: `gid://shopify/Order/${i + 1}`, customerShopifyId: gid((i % 3) + 1), totalPrice: `${20 + i}.50`, shopifyCreatedAt: new Date(Date.UTC(2026, 0, 5 + i * 9)) },
        });
      }
      const snapshot = await prisma.analysisSnapshot.create({
        data: { shop: SHOP, asOf: new Date("2026-06-01T00:00:00Z"), customers: 3, orders: 12, version: SNAPSHOT_VERSION, data: "{}", completedAt: new Date() },
      });
      for (const [i, customer] of customers.entries()) {
        await prisma.customerProfile.create({
          data: {
            snapshotId: snapshot.id, customerId: customer.id, shop: SHOP, customerShopifyId: customer.shopifyId, orderCount: 4, repeatPurchases: 3,
            totalSpent: `${100 + i}.25`, averageOrderValue: "25.06", firstOrderAt: new Date("2026-01-05T00:00:00Z"), lastOrderAt: new Date("2026-04-20T00:00:00Z"),
            daysSinceFirstOrder: 147, daysSinceLastOrder: 42, usualGapDays: 35.5, lifecycleStage: "active", customerGroup: "regular", customerType: "returning",
            spendTier: "mid", recencyScore: 3, frequencyScore: 4, monetaryScore: 2, rfmGroup: "loyal", pAlive: 0.8 + i / 100, predictedClv: 120.5 + i, nextOrderAt: new Date("2026-06-15T00:00:00Z"),
          },
        });
      }
      const before = await prisma.customerProfile.findMany({ where: { snapshotId: snapshot.id }, orderBy: { customerId: "asc" } });
      await prisma.$disconnect();

      expect(await migrate(empty.config)).toContain(MIGRATION);
      const after = await prisma.customerProfile.findMany({ where: { snapshotId: snapshot.id }, orderBy: { customerId: "asc" } });
      expect(after).toEqual(before);
      expect(await prisma.$queryRawUnsafe(`SELECT count(*)::int AS n FROM pg_partitioned_table WHERE partrelid = '"CustomerProfile"'::regclass`)).toEqual([{ n: 1 }]);
      expect(await prisma.$queryRawUnsafe(`SELECT count(*)::int AS n FROM "CustomerProfile_default"`)).toEqual([{ n: 3 }]);

      const { ctx } = testSyncContext({ prisma, config: empty.config });
      const first = await recomputeShop(ctx, SHOP, { asOf: new Date("2026-06-30T12:00:00Z") });
      const second = await recomputeShop(ctx, SHOP, { asOf: new Date("2026-06-30T12:00:00Z") });
      expect((await readCurrentAnalysis(prisma, SHOP))!.snapshotId).toBe(second!.snapshotId);
      expect(await prisma.customerProfile.count({ where: { snapshotId: second!.snapshotId } })).toBe(3);
      // The migrated generation is the one before the previous: pruned, out of the default partition too.
      expect(await prisma.customerProfile.count({ where: { snapshotId: snapshot.id } })).toBe(0);
      const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"CustomerProfile"'::regclass ORDER BY 1`,
      );
      expect(tables.map((t) => t.name)).toEqual([`CustomerProfile_${first!.snapshotId}`, `CustomerProfile_${second!.snapshotId}`, "CustomerProfile_default"].sort());

      // shop/redact: the shop's generation tables go whole with the erasure that follows it.
      await redactShop(ctx, SHOP);
      await eraseRedactedRemnants(ctx, "shop");
      expect(await prisma.$queryRawUnsafe(`SELECT relname FROM pg_class WHERE relname ~ '^CustomerProfile_[0-9]+$'`)).toEqual([]);
    } finally {
      await closeBulkConnections();
      await prisma.$disconnect();
      await empty.drop();
    }
  }, 120_000);
});
