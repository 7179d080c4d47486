/**
 * Random order histories for the per-customer refresh tests: customers 0…n−1 (Shopify ids
 * `gid://shopify/Customer/<c + 1>`), each with a first order within 600 days before the as-of
 * day minus 40, then orders at a customer-specific Poisson rate until a 20 % chance of stopping
 * after each order or 31 days before the as-of day, so every customer has gone quiet for a month.
 */
import { isoDateFromDayIndex } from "~/analytics/calendar/calendar-day";
import { createSeededRng } from "~/analytics/math/seeded-rng";
import type { Database } from "~/db.server";

export const customerGid = (c: number) => `gid://shopify/Customer/${c + 1}`;

/** Writes the customers (with `tagsOf(c)` as their tags, JSON) and their orders; returns the orders written. */
export async function seedOrderHistories(
  prisma: Database,
  shop: string,
  options: { customers: number; asOfDay: number; seed: number; tagsOf?: (c: number) => string[] },
): Promise<number> {
  const { customers, asOfDay, seed, tagsOf = () => [] } = options;
  await prisma.customer.createMany({ data: Array.from({ length: customers }, (_, c) => ({ shop, shopifyId: customerGid(c), tags: JSON.stringify(tagsOf(c)) })) });
  const rng = createSeededRng(seed);
  const rows = [];
  for (let c = 0; c < customers; c++) {
    let day = asOfDay - 40 - Math.floor(rng() * 600);
    const rate = 0.005 + rng() * 0.05;
    for (;;) {
      rows.push({ shop, shopifyId: `gid://shopify/Order/${rows.length + 1}`, customerShopifyId: customerGid(c), totalPrice: (20 + Math.floor(rng() * 200)).toFixed(2), shopifyCreatedAt: new Date(`${isoDateFromDayIndex(day)}T10:00:00Z`) });
      if (rng() < 0.2) break;
      day += 1 + Math.floor(-Math.log(1 - rng()) / rate);
      if (day > asOfDay - 31) break;
    }
  }
  await prisma.order.createMany({ data: rows });
  return rows.length;
}
