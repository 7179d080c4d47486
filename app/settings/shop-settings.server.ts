import type { Database } from "~/db.server";
import { DEFAULT_SETTINGS, REVENUE_BASES, type RevenueBasis, type ShopSettingsValues } from "./schema";

/**
 * The one place a shop's settings are read (the Settings page, the recompute, the tag push):
 * the stored row, or the defaults when the shop never saved any.
 */
export async function readShopSettings(prisma: Database, shop: string): Promise<ShopSettingsValues> {
  const row = await prisma.shopSettings.findUnique({ where: { shop } });
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    tagPrefix: row.tagPrefix,
    vipShare: row.vipShare,
    lifecycleActiveFactor: row.lifecycleActiveFactor,
    lifecycleLostFactor: row.lifecycleLostFactor,
    newCustomerDays: row.newCustomerDays,
    // Money is shown with its two decimals, as typed by merchants ("1250.50", not "1250.5").
    monthlyMarketingSpend: row.monthlyMarketingSpend.toFixed(2),
    revenueBasis: asRevenueBasis(row.revenueBasis),
  };
}

function asRevenueBasis(value: string): RevenueBasis {
  return (REVENUE_BASES as readonly string[]).includes(value) ? (value as RevenueBasis) : DEFAULT_SETTINGS.revenueBasis;
}
