import type { CustomerFacts } from "../customers/customer-facts";
import type { StoreDataset } from "../dataset/dataset-builder";

export interface GeographyRow {
  /** "unknown" when the customer has no address. */
  readonly country: string;
  readonly province?: string;
  readonly city?: string;
  readonly customers: number;
  readonly revenue: number;
  /** revenue ÷ customers (historic LTV of the place). */
  readonly ltv: number;
}

export interface GeographyBreakdown {
  readonly countries: GeographyRow[];
  readonly regions: GeographyRow[];
  readonly cities: GeographyRow[];
}

/**
 * F10: customers, revenue and LTV by country, region (province) and city, from the customers'
 * attributes; rows sorted by revenue, descending. Customers without an address are "unknown".
 */
export function geographyBreakdown(dataset: StoreDataset, facts: CustomerFacts, limit = 50): GeographyBreakdown {
  const levels = [new Map<string, [number, number]>(), new Map<string, [number, number]>(), new Map<string, [number, number]>()];
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const country = dataset.customerCountry[c] ?? "unknown";
    const province = dataset.customerProvince[c] ?? "unknown";
    const city = dataset.customerCity[c] ?? "unknown";
    const keys = [country, `${country}\u0000${province}`, `${country}\u0000${province}\u0000${city}`];
    for (let l = 0; l < 3; l++) {
      const entry = levels[l].get(keys[l]);
      if (entry) {
        entry[0]++;
        entry[1] += facts.revenue[c];
      } else levels[l].set(keys[l], [1, facts.revenue[c]]);
    }
  }
  const rows = (map: Map<string, [number, number]>): GeographyRow[] =>
    [...map.entries()]
      .map(([key, [customers, revenue]]) => {
        const [country, province, city] = key.split("\u0000");
        return { country, ...(province !== undefined ? { province } : {}), ...(city !== undefined ? { city } : {}), customers, revenue, ltv: revenue / customers };
      })
      .sort((a, b) => b.revenue - a.revenue || b.customers - a.customers || a.country.localeCompare(b.country))
      .slice(0, limit);
  return { countries: rows(levels[0]), regions: rows(levels[1]), cities: rows(levels[2]) };
}
