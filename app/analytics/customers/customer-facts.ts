import type { StoreDataset } from "../dataset/dataset-builder";

/**
 * Per-customer facts as of the day `asOfDay` (inclusive), computed in one pass over the
 * customer-sorted orders. Everything later (RFM, groups, lifecycle, model summaries) reads these
 * columns instead of walking the orders again.
 *
 * - orders / revenue / items: orders up to and including `asOfDay`.
 * - purchase events: distinct local days with an order (same-day orders merged, amounts
 *   summed) — METRICS.md "Purchase event".
 * - cadence: the customer's median days between consecutive purchase events (NaN with one).
 */
export interface CustomerFacts {
  readonly asOfDay: number;
  readonly customerCount: number;
  /** Customers with at least one order up to `asOfDay`. */
  readonly activeCustomerCount: number;
  /** One past the last order index up to `asOfDay` for each customer. */
  readonly orderEnd: Int32Array;
  readonly orders: Int32Array;
  readonly events: Int32Array;
  readonly revenue: Float64Array;
  readonly items: Float64Array;
  /** Local day index of first / last order (-1 when none up to asOf). */
  readonly firstDay: Int32Array;
  readonly lastDay: Int32Array;
  /** Sum of revenue over the purchase events after the first one (Gamma-Gamma input). */
  readonly repeatEventRevenue: Float64Array;
  readonly cadenceDays: Float64Array;
  /** Median gap in days over all consecutive purchase events of all customers (NaN if none). */
  readonly shopMedianGapDays: number;
  readonly guestOrders: number;
  readonly guestRevenue: number;
  /** Orders dated after `asOfDay` (ignored by every figure, reported). */
  readonly futureOrders: number;
}

/**
 * Builds {@link CustomerFacts} for `asOfDay`. Linear in orders; the shop median uses a
 * histogram of integer day gaps, so it is linear too.
 */
export function customerFactsAsOf(dataset: StoreDataset, asOfDay: number): CustomerFacts {
  const n = dataset.customerCount;
  const { customerOrderStart, orderDay, orderRevenue, orderItems } = dataset;
  const orderEnd = new Int32Array(n);
  const orders = new Int32Array(n);
  const events = new Int32Array(n);
  const revenue = new Float64Array(n);
  const items = new Float64Array(n);
  const firstDay = new Int32Array(n).fill(-1);
  const lastDay = new Int32Array(n).fill(-1);
  const repeatEventRevenue = new Float64Array(n);
  const cadenceDays = new Float64Array(n).fill(NaN);
  const gapHistogram: number[] = [];
  let gapTotal = 0;
  let futureOrders = 0;
  let active = 0;
  let scratch = new Float64Array(64);

  for (let c = 0; c < n; c++) {
    const start = customerOrderStart[c];
    const end = customerOrderStart[c + 1];
    let stop = end;
    while (stop > start && orderDay[stop - 1] > asOfDay) stop--;
    futureOrders += end - stop;
    orderEnd[c] = stop;
    if (stop === start) continue;
    active++;
    let rev = 0;
    let it = 0;
    let ev = 0;
    let prevDay = -Infinity;
    let repeatRev = 0;
    if (stop - start > scratch.length) scratch = new Float64Array(2 * (stop - start));
    let gaps = 0;
    for (let i = start; i < stop; i++) {
      const day = orderDay[i];
      rev += orderRevenue[i];
      it += orderItems[i];
      if (day !== prevDay) {
        if (ev > 0) {
          const gap = day - prevDay;
          scratch[gaps++] = gap;
          gapHistogram[gap] = (gapHistogram[gap] ?? 0) + 1;
          gapTotal++;
        }
        ev++;
        prevDay = day;
      }
      if (ev > 1) repeatRev += orderRevenue[i];
    }
    orders[c] = stop - start;
    events[c] = ev;
    revenue[c] = rev;
    items[c] = it;
    firstDay[c] = orderDay[start];
    lastDay[c] = orderDay[stop - 1];
    repeatEventRevenue[c] = repeatRev;
    if (gaps > 0) cadenceDays[c] = median(scratch, gaps);
  }

  let guestOrders = 0;
  let guestRevenue = 0;
  for (let i = dataset.guestOrderStart; i < dataset.orderCount; i++) {
    if (orderDay[i] > asOfDay) {
      futureOrders++;
      continue;
    }
    guestOrders++;
    guestRevenue += orderRevenue[i];
  }

  return {
    asOfDay,
    customerCount: n,
    activeCustomerCount: active,
    orderEnd,
    orders,
    events,
    revenue,
    items,
    firstDay,
    lastDay,
    repeatEventRevenue,
    cadenceDays,
    shopMedianGapDays: medianOfHistogram(gapHistogram, gapTotal),
    guestOrders,
    guestRevenue,
    futureOrders,
  };
}

/** Median of the first `count` values of `values` (sorts that prefix in place). */
export function median(values: Float64Array, count: number): number {
  if (count === 0) return NaN;
  if (count === 1) return values[0];
  if (count === 2) return (values[0] + values[1]) / 2;
  const mid = count >> 1;
  if (count <= 32) {
    // Most customers have a handful of gaps: an insertion sort beats a typed-array sort call.
    for (let i = 1; i < count; i++) {
      const v = values[i];
      let j = i;
      while (j > 0 && values[j - 1] > v) {
        values[j] = values[j - 1];
        j--;
      }
      values[j] = v;
    }
    return count % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
  const part = values.subarray(0, count).sort();
  return count % 2 === 1 ? part[mid] : (part[mid - 1] + part[mid]) / 2;
}

/** Median of integer values given as a histogram `hist[value] = count` (sparse array). */
export function medianOfHistogram(hist: readonly (number | undefined)[], total: number): number {
  if (total === 0) return NaN;
  // The lower and upper middle ranks (0-based); equal when total is odd.
  const lowRank = (total - 1) >> 1;
  const highRank = total >> 1;
  let seen = 0;
  let low = NaN;
  for (let v = 0; v < hist.length; v++) {
    const count = hist[v] ?? 0;
    if (count === 0) continue;
    if (Number.isNaN(low) && seen + count > lowRank) low = v;
    if (seen + count > highRank) return (low + v) / 2;
    seen += count;
  }
  return low;
}
