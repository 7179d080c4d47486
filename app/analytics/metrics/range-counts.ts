/**
 * The counts behind the key metrics (`PeriodCounts`) for ANY range of days, from a summary the
 * analysis stores instead of the orders (docs/decisions/030-pages-at-scale.md): the dashboard's
 * custom range then costs milliseconds instead of loading every order of the shop.
 *
 * Sums and counts of orders, revenue, first and second orders are additive, so per-day totals
 * give them for any range. "Customers who ordered in the range" is not (a customer counts once
 * however many days they ordered), and neither is retention, which is built from it:
 *
 *   ordered in (s, e]      U(s, e) = F(e) − G(s, e)
 *   F(e)                   customers whose first order is on or before e
 *   G(s, e)                customers absent through (s, e] after ordering: a stretch between
 *                          two consecutive order days p < d (or after the last, d = ∞) with
 *                          p ≤ s and d > e
 *   retained               U(ps, s) + U(s, e) − U(ps, e)  (ordered in both ranges)
 *
 * So the summary keeps, besides the per-day totals, how many of these absences start on day p
 * and end on day d: at most one per order, and far fewer at 1M orders, as the same (p, d) pair
 * recurs. Counts are exact; money sums are the same orders' amounts added per day instead of per
 * customer, equal up to floating-point rounding.
 */
import type { StoreDataset } from "../dataset/dataset-builder";
import { doubledInt32 } from "../dataset/growable-column";
import type { PeriodCounts } from "./period-counts";

/** Plain JSON: stored in the snapshot document (`analysis.rangeCounts`). */
export interface RangeCountsSummary {
  /** Day index of the first entry of the per-day arrays (the first counted order's day). */
  readonly firstDay: number;
  /** Per day from `firstDay` up to the as-of day. */
  readonly newCustomers: number[];
  readonly secondOrders: number[];
  readonly customerOrders: number[];
  readonly guestOrders: number[];
  readonly customerRevenue: number[];
  readonly guestRevenue: number[];
  /**
   * Absences by start day p and end day d, base64 of unsigned LEB128 varints: per day p (from
   * `firstDay`, one block per entry of the per-day arrays) the number of distinct end days, then
   * per end day, ascending, (d − previous d, or d − p for the first) and the count. An absence
   * after a customer's last order ends the day after the as-of day.
   */
  readonly absences: string;
}

/** Per-day totals and absences of `dataset`'s orders up to `asOfDay` (the analysis' own orders). */
export function rangeCountsSummary(dataset: StoreDataset, asOfDay: number): RangeCountsSummary {
  const { customerOrderStart, orderDay, orderRevenue } = dataset;
  let firstDay = Infinity;
  for (let i = 0; i < dataset.orderCount; i++) if (orderDay[i] < firstDay) firstDay = orderDay[i];
  if (!Number.isFinite(firstDay) || firstDay > asOfDay) firstDay = asOfDay;
  const days = asOfDay - firstDay + 1;
  const newCustomers = new Array<number>(days).fill(0);
  const secondOrders = new Array<number>(days).fill(0);
  const customerOrders = new Array<number>(days).fill(0);
  const guestOrders = new Array<number>(days).fill(0);
  const customerRevenue = new Array<number>(days).fill(0);
  const guestRevenue = new Array<number>(days).fill(0);
  // Absences as (start, end) offsets from firstDay, one entry per stretch, end ≤ days. They are
  // grouped by start day (a counting sort) and each day's ends sorted, so equal pairs are adjacent.
  // (A Map keyed by pair took 400 ms at 1M orders; this about a quarter of it.)
  let starts: Int32Array = new Int32Array(Math.max(16, dataset.orderCount));
  let ends: Int32Array = new Int32Array(starts.length);
  let absenceCount = 0;
  const end = days; // offset of "the day after the as-of day"
  // One customer's order days (offsets), in a reused typed scratch.
  let customerDays = new Int32Array(64);
  for (let c = 0; c < dataset.customerCount; c++) {
    const from = customerOrderStart[c];
    const to = customerOrderStart[c + 1];
    if (to - from > customerDays.length) customerDays = new Int32Array(2 * (to - from));
    let dayCount = 0;
    let sorted = true;
    for (let i = from; i < to; i++) {
      const day = orderDay[i];
      if (day > asOfDay) continue;
      const at = day - firstDay;
      customerOrders[at]++;
      customerRevenue[at] += orderRevenue[i];
      if (dayCount > 0 && at < customerDays[dayCount - 1]) sorted = false;
      customerDays[dayCount++] = at;
    }
    if (dayCount === 0) continue;
    // Orders are sorted by time, so by day; the summary must not depend on it, though.
    if (!sorted) customerDays.subarray(0, dayCount).sort();
    newCustomers[customerDays[0]]++;
    if (dayCount >= 2) secondOrders[customerDays[1]]++;
    let previous = customerDays[0];
    for (let k = 1; k <= dayCount; k++) {
      const next = k < dayCount ? customerDays[k] : end;
      if (next === previous) continue;
      if (absenceCount === starts.length) {
        starts = doubledInt32(starts);
        ends = doubledInt32(ends);
      }
      starts[absenceCount] = previous;
      ends[absenceCount++] = next;
      previous = next;
    }
  }
  for (let i = dataset.guestOrderStart; i < dataset.orderCount; i++) {
    const day = orderDay[i];
    if (day > asOfDay || day < firstDay) continue;
    guestOrders[day - firstDay]++;
    guestRevenue[day - firstDay] += orderRevenue[i];
  }
  return { firstDay, newCustomers, secondOrders, customerOrders, guestOrders, customerRevenue, guestRevenue, absences: encodeAbsences(starts.subarray(0, absenceCount), ends.subarray(0, absenceCount), days) };
}


/** The absences (`starts[i]`, `ends[i]`) in the `absences` format above. */
function encodeAbsences(starts: Int32Array, ends: Int32Array, days: number): string {
  const blockStart = new Int32Array(days + 1);
  for (let i = 0; i < starts.length; i++) blockStart[starts[i] + 1]++;
  for (let p = 0; p < days; p++) blockStart[p + 1] += blockStart[p];
  const byStart = new Int32Array(ends.length);
  const fill = blockStart.slice(0, days);
  for (let i = 0; i < starts.length; i++) byStart[fill[starts[i]]++] = ends[i];

  let bytes = new Uint8Array(1024);
  let length = 0;
  const varint = (value: number) => {
    if (length + 8 > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2);
      grown.set(bytes);
      bytes = grown;
    }
    let v = value;
    while (v >= 0x80) {
      bytes[length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    bytes[length++] = v;
  };
  for (let p = 0; p < days; p++) {
    const block = byStart.subarray(blockStart[p], blockStart[p + 1]).sort();
    let distinct = 0;
    for (let j = 0; j < block.length; j++) if (j === 0 || block[j] !== block[j - 1]) distinct++;
    varint(distinct);
    let previous = p;
    for (let j = 0; j < block.length; ) {
      let n = 1;
      while (j + n < block.length && block[j + n] === block[j]) n++;
      varint(block[j] - previous);
      varint(n);
      previous = block[j];
      j += n;
    }
  }
  return toBase64(bytes.subarray(0, length));
}

/** A summary made ready for ranges: prefix sums and the absences as flat arrays. */
export interface RangeCounter {
  counts(startDay: number, endDay: number, previousStartDay: number | null): PeriodCounts;
}

export function rangeCounter(summary: RangeCountsSummary): RangeCounter {
  const days = summary.newCustomers.length;
  const prefix = (values: readonly number[]) => {
    const sums = new Float64Array(days + 1);
    for (let i = 0; i < days; i++) sums[i + 1] = sums[i] + values[i];
    return sums;
  };
  const newCustomers = prefix(summary.newCustomers);
  const secondOrders = prefix(summary.secondOrders);
  const customerOrders = prefix(summary.customerOrders);
  const guestOrders = prefix(summary.guestOrders);
  const customerRevenue = prefix(summary.customerRevenue);
  const guestRevenue = prefix(summary.guestRevenue);
  const { blockStart, endDay: absenceEnd, count: absenceCount } = decodeAbsences(summary.absences, days);

  /** Index into the prefix sums for "up to and including day `day`". */
  const upTo = (day: number) => Math.max(0, Math.min(days, day - summary.firstDay + 1));
  const sum = (sums: Float64Array, from: number, to: number) => sums[upTo(to)] - sums[upTo(from)];
  /** Customers absent through (s, e] after an order on or before s. */
  const absent = (s: number, e: number) => {
    const lastStart = Math.min(days - 1, s - summary.firstDay);
    const after = e - summary.firstDay;
    let n = 0;
    for (let p = 0; p <= lastStart; p++) {
      for (let j = blockStart[p + 1] - 1; j >= blockStart[p]; j--) {
        // End days ascend within a block: stop at the first that does not reach past e.
        if (absenceEnd[j] <= after) break;
        n += absenceCount[j];
      }
    }
    return n;
  };
  /** Customers with an order in (s, e]. */
  const ordered = (s: number, e: number) => (e <= s ? 0 : newCustomers[upTo(e)] - absent(s, e));

  return {
    counts(startDay, endDay, previousStartDay) {
      const inPeriod = ordered(startDay, endDay);
      const inPrevious = previousStartDay === null ? 0 : ordered(previousStartDay, startDay);
      return {
        customersInPeriod: inPeriod,
        newCustomers: sum(newCustomers, startDay, endDay),
        customersToDate: newCustomers[upTo(endDay)],
        repeatCustomersToDate: secondOrders[upTo(endDay)],
        customerRevenueToDate: customerRevenue[upTo(endDay)],
        customersInPrevious: inPrevious,
        retainedFromPrevious: previousStartDay === null ? 0 : inPrevious + inPeriod - ordered(previousStartDay, endDay),
        customerOrders: sum(customerOrders, startDay, endDay),
        guestOrders: sum(guestOrders, startDay, endDay),
        revenue: sum(customerRevenue, startDay, endDay) + sum(guestRevenue, startDay, endDay),
      };
    },
  };
}

function decodeAbsences(text: string, days: number): { blockStart: Int32Array; endDay: Int32Array; count: Int32Array } {
  const bytes = fromBase64(text);
  let at = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  const blockStart = new Int32Array(days + 1);
  const ends: number[] = [];
  const counts: number[] = [];
  for (let p = 0; p < days; p++) {
    blockStart[p] = ends.length;
    const n = varint();
    let previous = p;
    for (let j = 0; j < n; j++) {
      previous += varint();
      ends.push(previous);
      counts.push(varint());
    }
  }
  blockStart[days] = ends.length;
  return { blockStart, endDay: Int32Array.from(ends), count: Int32Array.from(counts) };
}

const BASE64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_CODES = Uint8Array.from(BASE64_DIGITS, (ch) => ch.charCodeAt(0));
const BASE64_PAD = "=".charCodeAt(0);

/**
 * Base64 without Node's Buffer, so the core runs anywhere: the digits written into a byte array
 * and decoded as one ASCII string (the same text `btoa` gives; building btoa's binary string by
 * `String.fromCharCode` cost ~70 ms at 1M orders, this a tenth of it).
 */
function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = BASE64_CODES[v >>> 18];
    out[o++] = BASE64_CODES[(v >>> 12) & 63];
    out[o++] = BASE64_CODES[(v >>> 6) & 63];
    out[o++] = BASE64_CODES[v & 63];
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (bytes[i] << 16) | ((two ? bytes[i + 1] : 0) << 8);
    out[o++] = BASE64_CODES[v >>> 18];
    out[o++] = BASE64_CODES[(v >>> 12) & 63];
    out[o++] = two ? BASE64_CODES[(v >>> 6) & 63] : BASE64_PAD;
    out[o++] = BASE64_PAD;
  }
  return new TextDecoder("latin1").decode(out);
}

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error("range counts: not base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
