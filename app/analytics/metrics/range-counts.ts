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
  // Absences as (p, d) keys counted in a map: (p − firstDay) * (days + 1) + (d − firstDay), d ≤ days.
  const absences = new Map<number, number>();
  const end = days; // offset of "the day after the as-of day"
  const customerDays: number[] = [];
  for (let c = 0; c < dataset.customerCount; c++) {
    customerDays.length = 0;
    for (let i = customerOrderStart[c]; i < customerOrderStart[c + 1]; i++) {
      const day = orderDay[i];
      if (day > asOfDay) continue;
      const at = day - firstDay;
      customerOrders[at]++;
      customerRevenue[at] += orderRevenue[i];
      customerDays.push(at);
    }
    if (customerDays.length === 0) continue;
    // Orders are sorted by time, so by day; sort anyway (cheap) so the summary never depends on it.
    customerDays.sort((a, b) => a - b);
    newCustomers[customerDays[0]]++;
    if (customerDays.length >= 2) secondOrders[customerDays[1]]++;
    let previous = customerDays[0];
    for (let k = 1; k <= customerDays.length; k++) {
      const next = k < customerDays.length ? customerDays[k] : end;
      if (next === previous) continue;
      const key = previous * (days + 1) + next;
      absences.set(key, (absences.get(key) ?? 0) + 1);
      previous = next;
    }
  }
  for (let i = dataset.guestOrderStart; i < dataset.orderCount; i++) {
    const day = orderDay[i];
    if (day > asOfDay || day < firstDay) continue;
    guestOrders[day - firstDay]++;
    guestRevenue[day - firstDay] += orderRevenue[i];
  }
  return { firstDay, newCustomers, secondOrders, customerOrders, guestOrders, customerRevenue, guestRevenue, absences: encodeAbsences(absences, days) };
}

function encodeAbsences(absences: Map<number, number>, days: number): string {
  const keys = [...absences.keys()].sort((a, b) => a - b);
  const bytes: number[] = [];
  const varint = (value: number) => {
    let v = value;
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
  };
  let k = 0;
  for (let p = 0; p < days; p++) {
    let n = 0;
    while (k + n < keys.length && Math.floor(keys[k + n] / (days + 1)) === p) n++;
    varint(n);
    let previous = p;
    for (let j = k; j < k + n; j++) {
      const d = keys[j] % (days + 1);
      varint(d - previous);
      varint(absences.get(keys[j])!);
      previous = d;
    }
    k += n;
  }
  return toBase64(Uint8Array.from(bytes));
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

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/** Base64 without Node's Buffer: the core runs anywhere. */
function toBase64(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out.push(ALPHABET[(n >> 18) & 63], ALPHABET[(n >> 12) & 63], i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : "=", i + 2 < bytes.length ? ALPHABET[n & 63] : "=");
  }
  return out.join("");
}

function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, "");
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const sextet = SEXTET[clean.charCodeAt(i)];
    if (sextet === undefined || sextet < 0) throw new Error("range counts: not base64");
    buffer = ((buffer << 6) | sextet) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}
