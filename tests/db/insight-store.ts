/**
 * Test fixture for the insight pages: a small hand-built store (customers with addresses,
 * orders at chosen hours with line items and sources, a product pair bought together) written
 * to the database as the sync would, then analysed by the real recompute. The raw orders are
 * returned so tests can compute the pages' figures independently of the analytics core.
 */
import { isoDateFromDayIndex } from "~/analytics/calendar/calendar-day";
import { createSeededRng } from "~/analytics/math/seeded-rng";
import type { Database } from "~/db.server";
import type { DatabaseConfig } from "~/db/database-url";
import { recomputeShop } from "~/jobs/handlers/recompute";
import type { Dialect } from "./test-database";

export const INSIGHT_AS_OF = "2026-06-30";
const AS_OF_DAY = Date.parse(`${INSIGHT_AS_OF}T00:00:00Z`) / 86_400_000;

export interface InsightOrder {
  customer: string;
  /** UTC instant (the shop's zone is UTC). */
  at: Date;
  total: number;
  /** What the order's source is to the analysis: the first-visit UTM source, else the order's source name. */
  source: string;
  /** The sales channel: the point of sale for "pos", else the online store. */
  channel: string;
  /** The first visit's UTM source, else its referring source (null when Shopify recorded no visit). */
  firstVisit: string | null;
  products: string[];
  test: boolean;
}

export interface InsightCustomer {
  id: string;
  country: string;
  province: string;
  city: string;
  firstName: string;
  email: string;
}

const PLACES = [
  ["NL", "Noord-Holland", "Amsterdam"],
  ["NL", "Utrecht", "Utrecht"],
  ["DK", "Hovedstaden", "København"],
  ["DE", "Berlin", "Berlin"],
] as const;
/** Tea ("A") pulls kettles ("B"): half of tea buyers also buy a kettle. */
const PRODUCTS = ["A", "B", "C", "D", "E", "F"];
const TITLES: Record<string, string> = { A: "Green tea", B: "Kettle", C: "Mug", D: "Teapot", E: "Honey", F: "Biscuits" };

export function insightStoreData(customerCount = 240): { customers: InsightCustomer[]; orders: InsightOrder[] } {
  const rng = createSeededRng(12);
  const customers: InsightCustomer[] = [];
  const orders: InsightOrder[] = [];
  for (let c = 0; c < customerCount; c++) {
    const place = PLACES[c % PLACES.length];
    const id = `gid://shopify/Customer/${1001 + c}`;
    customers.push({ id, country: place[0], province: place[1], city: place[2], firstName: `Klant${c}`, email: `klant${c}@example.com` });
    let day = AS_OF_DAY - 1 - Math.floor(rng() * 600);
    const rate = 0.01 + rng() * 0.05;
    const teaDrinker = c % 2 === 0;
    const source = ["web", "pos", "instagram"][c % 3];
    for (let n = 0; ; n++) {
      const hour = [9, 12, 20, 21][Math.floor(rng() * 4)];
      const products = [teaDrinker ? "A" : PRODUCTS[2 + Math.floor(rng() * 4)]];
      if (teaDrinker && c % 4 === 0) products.push("B");
      orders.push({
        customer: id,
        at: new Date(`${isoDateFromDayIndex(day)}T${String(hour).padStart(2, "0")}:${String(Math.floor(rng() * 60)).padStart(2, "0")}:00Z`),
        total: Math.round((15 + rng() * 120) * 100) / 100,
        // The first order's source decides acquisition; later orders come from anywhere.
        source: n === 0 ? source : "web",
        channel: n === 0 && source === "pos" ? "Point of Sale" : "Online Store",
        // Instagram visits carry a UTM source; a third of the web customers came from a search.
        firstVisit: n === 0 && source === "instagram" ? "instagram" : n === 0 && source === "web" && c % 9 === 0 ? "google" : null,
        products,
        // One test order in twenty: shown on the customer page, never counted.
        test: orders.length % 20 === 7,
      });
      if (rng() < 0.2) break;
      day += 1 + Math.floor(-Math.log(1 - rng()) / rate);
      if (day >= AS_OF_DAY) break;
    }
  }
  return { customers, orders };
}

/** Writes the store for `shop` and runs the recompute as of INSIGHT_AS_OF; returns the raw data. */
export async function seedInsightStore(prisma: Database, database: DatabaseConfig, dialect: Dialect, shop: string, customerCount?: number) {
  const data = insightStoreData(customerCount);
  await prisma.shop.upsert({ where: { shop }, create: { shop, ianaTimezone: "UTC", currencyCode: "EUR" }, update: { ianaTimezone: "UTC", currencyCode: "EUR" } });
  await prisma.customer.createMany({
    data: data.customers.map((c) => ({ shop, shopifyId: c.id, firstName: c.firstName, email: c.email, countryCode: c.country, country: c.country, province: c.province, city: c.city })),
  });
  const rows = data.orders.map((o, i) => ({
    shop,
    shopifyId: `gid://shopify/Order/${i + 1}`,
    name: `#${1000 + i}`,
    customerShopifyId: o.customer,
    totalPrice: o.total.toFixed(2),
    // Instagram customers arrive through a tagged link: UTM source, no order source.
    sourceName: o.source === "instagram" ? "web" : o.source,
    utmSource: o.source === "instagram" ? "instagram" : null,
    firstVisitSource: o.firstVisit === "google" ? "google" : null,
    channel: o.channel,
    test: o.test,
    shopifyCreatedAt: o.at,
  }));
  for (let i = 0; i < rows.length; i += 1_000) await prisma.order.createMany({ data: rows.slice(i, i + 1_000) });
  const ids = await prisma.order.findMany({ where: { shop }, select: { id: true, shopifyId: true } });
  const idOf = new Map(ids.map((o) => [o.shopifyId, o.id]));
  const customerRows = await prisma.customer.findMany({ where: { shop }, select: { id: true, shopifyId: true } });
  const customerRowOf = new Map(customerRows.map((c) => [c.shopifyId, c.id]));
  const lines = data.orders.flatMap((o, i) =>
    o.products.map((p, k) => ({
      shop,
      orderId: idOf.get(`gid://shopify/Order/${i + 1}`)!,
      shopifyId: `gid://shopify/LineItem/${i + 1}-${k}`,
      productShopifyId: `gid://shopify/Product/${p}`,
      title: TITLES[p],
      quantity: 1,
      amount: (o.total / o.products.length).toFixed(2),
      // The order's buyer and purchase time, as the sync's writers copy them (line-purchase.ts).
      buyerId: o.test || o.customer === null ? null : customerRowOf.get(o.customer)!,
      purchasedAt: o.at,
    })),
  );
  for (let i = 0; i < lines.length; i += 1_000) await prisma.orderLine.createMany({ data: lines.slice(i, i + 1_000) });
  const ctx = { prisma, database, dialect, jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} } };
  const result = await recomputeShop(ctx, shop, { asOf: new Date(`${INSIGHT_AS_OF}T12:00:00Z`) });
  if (!result) throw new Error("the recompute stored no analysis");
  return { ...data, titles: TITLES, snapshotId: result.snapshotId };
}
