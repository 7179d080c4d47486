import { appContext, settingsChanged } from "~/services/sync.server";
import type { ShopSettingsValues } from "~/settings/schema";
import { readShopSettings } from "~/settings/shop-settings.server";

/**
 * The shop's settings, or the defaults when it never saved any. Validation lives in
 * app/settings/schema.ts; reading in app/settings/shop-settings.server.ts.
 */
export function getShopSettings(shop: string): Promise<ShopSettingsValues> {
  return readShopSettings(appContext().prisma, shop);
}

/**
 * Stores validated settings for `shop` (all fields at once; callers pass only values that
 * passed `parseSettingsForm`). Creates the Shop row if an older install never recorded it,
 * since ShopSettings references it. A change that affects figures recalculates them at once.
 */
export async function saveShopSettings(shop: string, settings: ShopSettingsValues): Promise<ShopSettingsValues> {
  const { prisma } = appContext();
  const previous = await readShopSettings(prisma, shop);
  await prisma.$transaction(async (tx) => {
    await tx.shop.upsert({ where: { shop }, create: { shop }, update: {} });
    await tx.shopSettings.upsert({ where: { shop }, create: { shop, ...settings }, update: settings });
  });
  await settingsChanged(shop, previous, settings);
  return getShopSettings(shop);
}
