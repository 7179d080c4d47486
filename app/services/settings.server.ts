import { appContext, settingsChanged } from "~/services/sync.server";
import type { ShopSettingsValues } from "~/settings/schema";
import { readShopSettings } from "~/settings/shop-settings.server";
import { analysisStatusOf, readAnalysisState, type AnalysisStatus } from "~/snapshots/read-analysis.server";

/**
 * The shop's settings, or the defaults when it never saved any. Validation lives in
 * app/settings/schema.ts; reading in app/settings/shop-settings.server.ts.
 */
export function getShopSettings(shop: string): Promise<ShopSettingsValues> {
  return readShopSettings(appContext().prisma, shop);
}

/**
 * The Settings page: the shop's settings, and whether the figures a save asked for are still
 * being computed or their recompute failed (the page says so after a save that changed figures).
 */
/** The form's values, the analysis' status, and the shop's currency (the marketing spend is in it; null before the shop's first sync). */
export async function getSettingsPage(shop: string): Promise<{ settings: ShopSettingsValues; analysisStatus: AnalysisStatus; currencyCode: string | null }> {
  const { prisma } = appContext();
  const [settings, state, shopRow] = await Promise.all([
    getShopSettings(shop),
    readAnalysisState(prisma, shop),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
  ]);
  return { settings, analysisStatus: analysisStatusOf(state), currencyCode: shopRow?.currencyCode ?? null };
}

/**
 * Stores validated settings for `shop` (all fields at once; callers pass only values that
 * passed `parseSettingsForm`). Creates the Shop row if an older install never recorded it,
 * since ShopSettings references it. A change that affects figures recalculates them at once:
 * `recalculating` says a recompute was queued.
 */
export async function saveShopSettings(shop: string, settings: ShopSettingsValues): Promise<{ settings: ShopSettingsValues; recalculating: boolean }> {
  const { prisma } = appContext();
  const previous = await readShopSettings(prisma, shop);
  await prisma.$transaction(async (tx) => {
    await tx.shop.upsert({ where: { shop }, create: { shop }, update: {} });
    await tx.shopSettings.upsert({ where: { shop }, create: { shop, ...settings }, update: settings });
  });
  const { recompute } = await settingsChanged(shop, previous, settings);
  return { settings: await getShopSettings(shop), recalculating: recompute };
}
