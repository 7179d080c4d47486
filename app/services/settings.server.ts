import { prisma } from "~/db.server";
import { revenueBasisChanged } from "~/services/sync.server";
import { DEFAULT_SETTINGS, REVENUE_BASES, type RevenueBasis, type ShopSettingsValues } from "~/settings/schema";

/**
 * The shop's settings, or the defaults when it never saved any. Validation lives in
 * app/settings/schema.ts; this module only reads and writes rows of that one shop.
 */
export async function getShopSettings(shop: string): Promise<ShopSettingsValues> {
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

/**
 * Stores validated settings for `shop` (all fields at once; callers pass only values that
 * passed `parseSettingsForm`). Creates the Shop row if an older install never recorded it,
 * since ShopSettings references it. A changed revenue basis recomputes the figures on it.
 */
export async function saveShopSettings(shop: string, settings: ShopSettingsValues): Promise<ShopSettingsValues> {
  const previousBasis = await prisma.$transaction(async (tx) => {
    await tx.shop.upsert({ where: { shop }, create: { shop }, update: {} });
    const previous = await tx.shopSettings.findUnique({ where: { shop }, select: { revenueBasis: true } });
    await tx.shopSettings.upsert({ where: { shop }, create: { shop, ...settings }, update: settings });
    return asRevenueBasis(previous?.revenueBasis ?? DEFAULT_SETTINGS.revenueBasis);
  });
  if (settings.revenueBasis !== previousBasis) await revenueBasisChanged(shop, settings.revenueBasis);
  return getShopSettings(shop);
}

function asRevenueBasis(value: string): RevenueBasis {
  return (REVENUE_BASES as readonly string[]).includes(value) ? (value as RevenueBasis) : DEFAULT_SETTINGS.revenueBasis;
}
