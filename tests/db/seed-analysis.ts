/**
 * Test helper: stores a current analysis for a shop as the recompute would (a completed snapshot
 * of the current document version and one CustomerProfile per given customer), for page tests
 * that need exact, hand-chosen profile values rather than an analysis of generated orders.
 */
import { analyzeStore } from "~/analytics/analyze-store";
import { createDatasetBuilder } from "~/analytics/dataset/dataset-builder";
import type { Database } from "~/db.server";
import type { Prisma } from "~/generated/prisma/sqlite/client";
import { analysisSettings } from "~/settings/analysis-options";
import { DEFAULT_SETTINGS, type ShopSettingsValues } from "~/settings/schema";
import { serializeSnapshotDocument, SNAPSHOT_VERSION } from "~/snapshots/snapshot-document";

export type SeedProfile = Partial<Omit<Prisma.CustomerProfileUncheckedCreateInput, "snapshotId" | "customerId" | "shop">> & { customerShopifyId: string };

export async function seedCurrentAnalysis(
  prisma: Database,
  shop: string,
  profiles: readonly SeedProfile[],
  options: { asOf?: string; settings?: Partial<ShopSettingsValues>; revenueBasis?: ShopSettingsValues["revenueBasis"] } = {},
): Promise<number> {
  const asOf = options.asOf ?? "2026-07-20";
  const { scores: _scores, timings: _timings, ...analysis } = analyzeStore(createDatasetBuilder().build(), { asOf });
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const snapshot = await prisma.analysisSnapshot.create({
    data: {
      shop,
      asOf: new Date(`${asOf}T00:00:00Z`),
      customers: profiles.length,
      orders: 0,
      version: SNAPSHOT_VERSION,
      data: serializeSnapshotDocument({
        analysis,
        revenue: { revenueBasis: options.revenueBasis ?? settings.revenueBasis, ordersWithoutNetSales: 0 },
        settings: analysisSettings(settings),
        timings: {},
      }),
      completedAt: new Date(),
    },
  });
  for (const p of profiles) {
    const customer = await prisma.customer.upsert({
      where: { shop_shopifyId: { shop, shopifyId: p.customerShopifyId } },
      create: { shop, shopifyId: p.customerShopifyId },
      update: {},
    });
    await prisma.customerProfile.create({
      data: {
        orderCount: 2,
        repeatPurchases: 1,
        totalSpent: "10.00",
        averageOrderValue: "5.00",
        firstOrderAt: new Date(`${asOf}T00:00:00Z`),
        lastOrderAt: new Date(`${asOf}T00:00:00Z`),
        daysSinceFirstOrder: 60,
        daysSinceLastOrder: 10,
        usualGapDays: 30,
        lifecycleStage: "active",
        customerGroup: "loyal",
        customerType: "returning",
        spendTier: "mid",
        recencyScore: 3,
        frequencyScore: 3,
        monetaryScore: 3,
        rfmGroup: "loyal",
        ...p,
        snapshotId: snapshot.id,
        customerId: customer.id,
        shop,
      },
    });
  }
  return snapshot.id;
}
