import type { CustomerFacts } from "../customers/customer-facts";
import { type QuintileCuts, quintileCuts, quintileScores, scoreByCuts } from "./quintile-scores";
import { RFM_GROUPS, rfmGroup, type RfmGroup } from "./rfm-group";

/** Per-customer RFM scores (0 for customers without orders up to the as-of date). */
export interface RfmScores {
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  /** Index into {@link RFM_GROUPS}, 255 when not scored. */
  /** Index into RFM_GROUPS per customer (255 without orders). */
  readonly group: Uint8Array;
}

/** The three values RFM scores, per customer: recency in days, orders, revenue in whole cents. */
function rfmValues(facts: CustomerFacts): { recency: Float64Array; frequency: Float64Array; cents: Float64Array } {
  const n = facts.customerCount;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  // Monetary in whole cents: sub-cent float noise must not break ties.
  const cents = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    recency[c] = facts.asOfDay - facts.lastDay[c];
    frequency[c] = facts.orders[c];
    cents[c] = Math.round(facts.revenue[c] * 100);
  }
  return { recency, frequency, cents };
}

/**
 * RFM scores (METRICS.md "RFM"): R = days since last order (5 = most recent), F = number of
 * orders, M = all-time revenue, each scored 1–5 by {@link quintileScores} among customers with
 * at least one order; named with {@link rfmGroup}.
 */
export function rfmScores(facts: CustomerFacts): RfmScores {
  const { recency, frequency, cents } = rfmValues(facts);
  const include = (c: number) => facts.orders[c] > 0;
  return namedScores(quintileScores(recency, include, false), quintileScores(frequency, include, true), quintileScores(cents, include, true));
}

/** A store's RFM scoring as cut-offs per score (see {@link QuintileCuts}). */
export interface RfmCuts {
  readonly r: QuintileCuts;
  readonly f: QuintileCuts;
  readonly m: QuintileCuts;
}

/** The cut-offs of the store's RFM scoring `scores` (from {@link rfmScores} on the same facts). */
export function rfmCuts(facts: CustomerFacts, scores: RfmScores): RfmCuts {
  const { recency, frequency, cents } = rfmValues(facts);
  const include = (c: number) => facts.orders[c] > 0;
  return { r: quintileCuts(recency, include, false, scores.r), f: quintileCuts(frequency, include, true, scores.f), m: quintileCuts(cents, include, true, scores.m) };
}

/** RFM scores of `facts`' customers under a store's cut-offs (one customer scored alone). */
export function rfmScoresByCuts(facts: CustomerFacts, cuts: RfmCuts): RfmScores {
  const { recency, frequency, cents } = rfmValues(facts);
  const n = facts.customerCount;
  const r = new Uint8Array(n);
  const f = new Uint8Array(n);
  const m = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    if (facts.orders[c] === 0) continue;
    r[c] = scoreByCuts(recency[c], cuts.r);
    f[c] = scoreByCuts(frequency[c], cuts.f);
    m[c] = scoreByCuts(cents[c], cuts.m);
  }
  return namedScores(r, f, m);
}

/** RFM group index per (r, f, m) looked up from a 5×5×5 table instead of naming every customer. */
const GROUP_OF_SCORES = (() => {
  const table = new Uint8Array(125);
  for (let rs = 1; rs <= 5; rs++) {
    for (let fs = 1; fs <= 5; fs++) for (let ms = 1; ms <= 5; ms++) table[(rs - 1) * 25 + (fs - 1) * 5 + (ms - 1)] = RFM_GROUPS.indexOf(rfmGroup(rs, fs, ms));
  }
  return table;
})();

function namedScores(r: Uint8Array, f: Uint8Array, m: Uint8Array): RfmScores {
  const group = new Uint8Array(r.length).fill(255);
  for (let c = 0; c < r.length; c++) if (r[c] > 0) group[c] = GROUP_OF_SCORES[(r[c] - 1) * 25 + (f[c] - 1) * 5 + (m[c] - 1)];
  return { r, f, m, group };
}

export interface RfmSummary {
  /** Customers and revenue per named RFM group. */
  readonly groups: readonly { group: RfmGroup; customers: number; revenue: number }[];
  /** Value (M score, rows 5…1) × frequency (F score, columns 1…5): customer counts. */
  readonly valueFrequencyMatrix: { readonly m: number; readonly counts: readonly number[]; readonly revenue: readonly number[] }[];
  /** Distribution of each score for the concentric R/F/M rings. */
  readonly rings: { readonly r: readonly number[]; readonly f: readonly number[]; readonly m: readonly number[] };
}

/** F3 RFM view: named group sizes, the value × frequency matrix and score distributions. */
export function rfmSummary(facts: CustomerFacts, scores: RfmScores): RfmSummary {
  const segCount = new Array(RFM_GROUPS.length).fill(0);
  const segRevenue = new Array(RFM_GROUPS.length).fill(0);
  const matrix = Array.from({ length: 5 }, () => new Array(5).fill(0));
  const matrixRevenue = Array.from({ length: 5 }, () => new Array(5).fill(0));
  const rings = { r: new Array(5).fill(0), f: new Array(5).fill(0), m: new Array(5).fill(0) };
  for (let c = 0; c < facts.customerCount; c++) {
    if (scores.r[c] === 0) continue;
    segCount[scores.group[c]]++;
    segRevenue[scores.group[c]] += facts.revenue[c];
    matrix[5 - scores.m[c]][scores.f[c] - 1]++;
    matrixRevenue[5 - scores.m[c]][scores.f[c] - 1] += facts.revenue[c];
    rings.r[scores.r[c] - 1]++;
    rings.f[scores.f[c] - 1]++;
    rings.m[scores.m[c] - 1]++;
  }
  return {
    groups: RFM_GROUPS.map((group, i) => ({ group, customers: segCount[i], revenue: segRevenue[i] })),
    valueFrequencyMatrix: matrix.map((counts, i) => ({ m: 5 - i, counts, revenue: matrixRevenue[i] })),
    rings,
  };
}
