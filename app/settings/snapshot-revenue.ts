import { REVENUE_BASES, type RevenueBasis } from "./schema";

/**
 * What an AnalysisSnapshot records about the revenue its money figures are computed on: written
 * by the recompute job (app/sync/jobs/recompute.ts), read by every page that shows those figures,
 * so each can state the basis they were computed on (METRICS.md "Inputs"), which lags the
 * setting until the recompute it triggers has run.
 */
export interface SnapshotRevenue {
  revenueBasis: RevenueBasis;
  /**
   * Net-sales basis only: counted orders whose net sales are unknown (stored before the app read
   * them), counted at their current total instead of as 0. A full re-import fills them in.
   */
  ordersWithoutNetSales: number;
}

/**
 * The revenue facts of a stored snapshot. Snapshots that do not record a basis were computed on
 * Order.totalPrice, Shopify's current total after refunds and edits, whatever the setting said.
 */
export function snapshotRevenue(data: Partial<Record<keyof SnapshotRevenue, unknown>> | null | undefined): SnapshotRevenue {
  const basis = data?.revenueBasis;
  const fallback = data?.ordersWithoutNetSales;
  return {
    revenueBasis: typeof basis === "string" && (REVENUE_BASES as readonly string[]).includes(basis) ? (basis as RevenueBasis) : "current_total",
    ordersWithoutNetSales: typeof fallback === "number" && Number.isInteger(fallback) && fallback > 0 ? fallback : 0,
  };
}

/**
 * An order's revenue on a basis (docs/metrics.md "Inputs"): its net sales where known, else its
 * current total. The one rule for JavaScript (the customer page's timeline) and, as
 * `orderRevenueSql`, for SQL (the tag push's lift report); the whole-store load applies it per row
 * and also counts the orders that fell back (load-store-dataset.server.ts).
 */
export function orderRevenue(basis: RevenueBasis, totalPrice: number, netSales: number | null): number {
  return basis === "net_sales" && netSales !== null ? netSales : totalPrice;
}

/** `orderRevenue` as an SQL expression over an order row aliased `alias` (both databases). */
export function orderRevenueSql(basis: RevenueBasis, alias: string): string {
  return basis === "net_sales" ? `COALESCE(${alias}."netSales", ${alias}."totalPrice")` : `${alias}."totalPrice"`;
}
