import { createDatasetBuilder, type CustomerRow, type LineItemRow, type StoreDataset } from "../dataset/dataset-builder";

/** `[customer or null, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", revenue, extras]` — a compact order for tests. */
export type TestOrder = [string | null, string, number, { items?: number; lines?: LineItemRow[]; source?: string; channel?: string; firstVisit?: string; test?: boolean; cancelled?: boolean }?];

/** Builds a dataset (UTC) from compact test orders and optional customer attributes. */
export function testDataset(orders: readonly TestOrder[], customers: readonly CustomerRow[] = []): StoreDataset {
  const builder = createDatasetBuilder();
  for (const [customerId, when, revenue, extra] of orders) {
    const at = Date.parse(when.length === 10 ? `${when}T00:00:00Z` : `${when}:00Z`);
    builder.add({ customerId, at, revenue, items: extra?.items, lineItems: extra?.lines, source: extra?.source, channel: extra?.channel, firstVisit: extra?.firstVisit, test: extra?.test, cancelled: extra?.cancelled });
  }
  for (const c of customers) builder.addCustomer(c);
  return builder.build();
}
