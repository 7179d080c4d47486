import type { PurchaseSummaryRow } from "../models/index.ts";
import { doubledInt32 } from "../dataset/growable-column";

/** Per-customer purchase history in whole days (−1 in `x` = no order up to the as-of date). */
export interface DailyHistories {
  readonly x: Int32Array;
  readonly txDays: Int32Array;
  readonly TDays: Int32Array;
}

/** Distinct (x, t_x, T) tuples with counts, on a grid of `binDays` days. */
export interface SummaryGrid {
  readonly rows: PurchaseSummaryRow[];
  /** Tuple per customer, −1 for customers without orders. */
  readonly ofCustomer: Int32Array;
  /** 1 = exact days; otherwise t_x and T are the midpoints of `binDays`-day bins. */
  readonly binDays: number;
}

/**
 * Groups customers into distinct (x, t_x, T) tuples (the BG/NBD likelihood and every prediction
 * depend on nothing else), in `unitDays` time units. A store of a few thousand customers keeps
 * exact days (the CDNOW figures are reproduced exactly). When there are more than `maxTuples`
 * distinct tuples — a big store has nearly one per customer at day resolution — t_x and T are
 * put on a grid of 2, 4, 8, … days (bin midpoints; at most `maxBinDays`) until they fit: a
 * half-bin error in recency and age is immaterial for models whose time unit is a week, and it
 * bounds the cost of fitting and predicting. The grid width is reported with the fits.
 */
export function summaryGrid(
  histories: DailyHistories,
  unitDays: number,
  maxTuples: number,
  maxBinDays: number,
  /** Grids already built from the same `histories` and `unitDays`, by bin width (filled in here). */
  cache?: Map<number, SummaryGrid>,
  /** Finest bin worth trying (e.g. the width similar data needed), power of two; default 1. */
  minBinDays = 1,
): SummaryGrid {
  // Start near the width that fits: with most customers at small x, the number of (t_x, T)
  // cells grows like (max T ÷ bin)² / 2 per x, so bin ≈ max T · √(4 ÷ maxTuples) avoids
  // regrouping a big store at 1, 2, 4, … days first.
  let active = 0;
  let maxT = 0;
  for (let c = 0; c < histories.x.length; c++) {
    if (histories.x[c] < 0) continue;
    active++;
    if (histories.TDays[c] > maxT) maxT = histories.TDays[c];
  }
  let bin = 1;
  if (active > maxTuples) {
    const guess = Math.min(Math.max(maxT * Math.sqrt(4 / maxTuples), minBinDays), maxBinDays);
    while (bin * 2 <= guess) bin *= 2;
  }
  for (;;) {
    const last = bin * 2 > maxBinDays;
    // A grid that may still be refined stops grouping at the first tuple over the limit.
    const grid = cache?.get(bin) ?? groupOnGrid(histories, unitDays, bin, last ? Infinity : maxTuples);
    if (grid !== null) {
      cache?.set(bin, grid);
      if (grid.rows.length <= maxTuples || last) return grid;
    }
    bin *= 2;
  }
}

function groupOnGrid(h: DailyHistories, unitDays: number, bin: number, limit = Infinity): SummaryGrid | null {
  // Open-addressing hash table on typed arrays (linear probing, load ≤ 1/2) instead of a Map and
  // one object per customer: this runs over every customer several times per analysis. It
  // starts small and doubles, so that a store with few distinct tuples probes a cache-sized
  // table (random probes into a table sized for every customer cost a cache miss each).
  const n = h.x.length;
  let capacity = 1 << 12;
  let slotKey = new Float64Array(capacity).fill(-1);
  let slotTuple = new Int32Array(capacity);
  const ofCustomer = new Int32Array(n).fill(-1);
  // Per tuple: its count and first customer, in typed arrays that double as tuples appear (a JS
  // array's pushes, and a count per customer, cost more than the grouping at 1M orders).
  let tuples = 0;
  let counts = new Int32Array(1 << 12);
  let firstCustomer = new Int32Array(1 << 12);
  const slotOf = (keys: Float64Array, key: number, x: number, txBin: number, TBin: number): number => {
    const mask = keys.length - 1;
    let slot = mixBits(Math.imul(x, 0x9e3779b1) ^ Math.imul(txBin, 0x85ebca6b) ^ TBin) & mask;
    while (keys[slot] !== key && keys[slot] !== -1) slot = (slot + 1) & mask;
    return slot;
  };
  for (let c = 0; c < n; c++) {
    const x = h.x[c];
    if (x < 0) continue;
    const txBin = x === 0 ? 0 : Math.floor(h.txDays[c] / bin);
    const TBin = Math.floor(h.TDays[c] / bin);
    const key = (x * 65_536 + txBin) * 65_536 + TBin;
    const slot = slotOf(slotKey, key, x, txBin, TBin);
    let t: number;
    if (slotKey[slot] === key) t = slotTuple[slot];
    else {
      t = tuples;
      if (t >= limit) return null;
      slotKey[slot] = key;
      slotTuple[slot] = t;
      if (t === firstCustomer.length) {
        firstCustomer = doubledInt32(firstCustomer);
        counts = doubledInt32(counts);
      }
      firstCustomer[t] = c;
      tuples++;
      if (2 * tuples > capacity) {
        capacity *= 2;
        const oldKey = slotKey;
        const oldTuple = slotTuple;
        slotKey = new Float64Array(capacity).fill(-1);
        slotTuple = new Int32Array(capacity);
        for (let i = 0; i < oldKey.length; i++) {
          const k = oldKey[i];
          if (k === -1) continue;
          const kx = Math.floor(k / 4_294_967_296);
          const kTx = Math.floor(k / 65_536) % 65_536;
          const target = slotOf(slotKey, k, kx, kTx, k % 65_536);
          slotKey[target] = k;
          slotTuple[target] = oldTuple[i];
        }
      }
    }
    counts[t]++;
    ofCustomer[c] = t;
  }
  // Tuples in order of first appearance (thinTuples and the tests rely on a stable order).
  const rows: PurchaseSummaryRow[] = [];
  for (let t = 0; t < tuples; t++) {
    const c = firstCustomer[t];
    const x = h.x[c];
    const tx = x === 0 ? 0 : bin === 1 ? h.txDays[c] : (Math.floor(h.txDays[c] / bin) + 0.5) * bin;
    const T = bin === 1 ? h.TDays[c] : (Math.floor(h.TDays[c] / bin) + 0.5) * bin;
    rows.push({ x, tx: tx / unitDays, T: T / unitDays, count: counts[t] });
  }
  return { rows, ofCustomer, binDays: bin };
}


/**
 * The tuples on a grid of exactly `binDays` days (the width a store's analysis chose): how one
 * customer scored alone lands in the same tuple as in the store's grid.
 */
export function summaryGridAt(histories: DailyHistories, unitDays: number, binDays: number): SummaryGrid {
  return groupOnGrid(histories, unitDays, binDays)!;
}

/**
 * The exact (1-day) tuples when there are at most `maxTuples` of them, else null — found
 * without grouping the whole store (it stops at the first tuple over the limit).
 */
export function exactSummaryWithin(histories: DailyHistories, unitDays: number, maxTuples: number): SummaryGrid | null {
  return groupOnGrid(histories, unitDays, 1, maxTuples);
}

/** MurmurHash3's 32-bit finaliser: spreads the key over the low bits the table mask keeps. */
function mixBits(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A random subset of tuples (each kept with probability `maxTuples / rows`, with its whole
 * count) for fitting when the grid is still too large. Keeping a tuple independently of its
 * values leaves the likelihood's expectation proportional to the full one, so the MLE stays
 * consistent; only its variance grows. `rng` makes it deterministic.
 */
export function thinTuples<Row>(rows: readonly Row[], maxTuples: number, rng: () => number): Row[] {
  if (rows.length <= maxTuples) return [...rows];
  const p = maxTuples / rows.length;
  return rows.filter(() => rng() < p);
}
