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
  // Nested maps (country → province → city) avoid building a joined string key per customer.
  interface Place {
    customers: number;
    revenue: number;
    children: Map<string, Place>;
  }
  const place = (): Place => ({ customers: 0, revenue: 0, children: new Map() });
  const child = (parent: Place, name: string): Place => {
    let p = parent.children.get(name);
    if (!p) parent.children.set(name, (p = place()));
    return p;
  };
  const world = place();
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const revenue = facts.revenue[c];
    const country = child(world, dataset.customerCountry[c] ?? "unknown");
    const province = child(country, dataset.customerProvince[c] ?? "unknown");
    const city = child(province, dataset.customerCity[c] ?? "unknown");
    // Three explicit updates: a [country, province, city] array per customer was 275k garbage arrays at 1M orders.
    country.customers++;
    country.revenue += revenue;
    province.customers++;
    province.revenue += revenue;
    city.customers++;
    city.revenue += revenue;
  }
  const countries: GeographyRow[] = [];
  const regions: GeographyRow[] = [];
  const cities: GeographyRow[] = [];
  const row = (p: Place, names: { country: string; province?: string; city?: string }): GeographyRow => ({ ...names, customers: p.customers, revenue: p.revenue, ltv: p.revenue / p.customers });
  for (const [countryName, country] of world.children) {
    countries.push(row(country, { country: countryName }));
    for (const [provinceName, province] of country.children) {
      regions.push(row(province, { country: countryName, province: provinceName }));
      for (const [cityName, city] of province.children) cities.push(row(city, { country: countryName, province: provinceName, city: cityName }));
    }
  }
  const top = (rows: GeographyRow[]) =>
    rows
      .sort((a, b) => b.revenue - a.revenue || b.customers - a.customers || a.country.localeCompare(b.country) || (a.province ?? "").localeCompare(b.province ?? "") || (a.city ?? "").localeCompare(b.city ?? ""))
      .slice(0, limit);
  return { countries: top(countries), regions: top(regions), cities: top(cities) };
}
