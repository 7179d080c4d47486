import type { CustomerFacts } from "../customers/customer-facts";
import { quintileScores } from "./quintile-scores";
import { RFM_SEGMENTS, rfmSegment, type RfmSegment } from "./rfm-segment";

/** Per-customer RFM scores (0 for customers without orders up to the as-of date). */
export interface RfmScores {
  readonly r: Uint8Array;
  readonly f: Uint8Array;
  readonly m: Uint8Array;
  /** Index into {@link RFM_SEGMENTS}, 255 when not scored. */
  readonly segment: Uint8Array;
}

/**
 * RFM scores (METRICS.md "RFM"): R = days since last order (5 = most recent), F = number of
 * orders, M = all-time revenue, each scored 1–5 by {@link quintileScores} among customers with
 * at least one order; named with {@link rfmSegment}.
 */
export function rfmScores(facts: CustomerFacts): RfmScores {
  const n = facts.customerCount;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    recency[c] = facts.asOfDay - facts.lastDay[c];
    frequency[c] = facts.orders[c];
  }
  const include = (c: number) => facts.orders[c] > 0;
  const r = quintileScores(recency, include, false);
  const f = quintileScores(frequency, include, true);
  // Monetary in whole cents: sub-cent float noise must not break ties.
  const cents = new Float64Array(n);
  for (let c = 0; c < n; c++) cents[c] = Math.round(facts.revenue[c] * 100);
  const m = quintileScores(cents, include, true);
  // Segment index per (r, f, m) looked up from a 5×5×5 table instead of naming every customer.
  const segmentOf = new Uint8Array(125);
  for (let rs = 1; rs <= 5; rs++) {
    for (let fs = 1; fs <= 5; fs++) for (let ms = 1; ms <= 5; ms++) segmentOf[(rs - 1) * 25 + (fs - 1) * 5 + (ms - 1)] = RFM_SEGMENTS.indexOf(rfmSegment(rs, fs, ms));
  }
  const segment = new Uint8Array(n).fill(255);
  for (let c = 0; c < n; c++) if (r[c] > 0) segment[c] = segmentOf[(r[c] - 1) * 25 + (f[c] - 1) * 5 + (m[c] - 1)];
  return { r, f, m, segment };
}

export interface RfmSummary {
  /** Customers and revenue per named segment. */
  readonly segments: readonly { segment: RfmSegment; customers: number; revenue: number }[];
  /** Value (M score, rows 5…1) × frequency (F score, columns 1…5): customer counts. */
  readonly valueFrequencyMatrix: { readonly m: number; readonly counts: readonly number[]; readonly revenue: readonly number[] }[];
  /** Distribution of each score for the concentric R/F/M rings. */
  readonly rings: { readonly r: readonly number[]; readonly f: readonly number[]; readonly m: readonly number[] };
}

/** F3 RFM view: named segment sizes, the value × frequency matrix and score distributions. */
export function rfmSummary(facts: CustomerFacts, scores: RfmScores): RfmSummary {
  const segCount = new Array(RFM_SEGMENTS.length).fill(0);
  const segRevenue = new Array(RFM_SEGMENTS.length).fill(0);
  const matrix = Array.from({ length: 5 }, () => new Array(5).fill(0));
  const matrixRevenue = Array.from({ length: 5 }, () => new Array(5).fill(0));
  const rings = { r: new Array(5).fill(0), f: new Array(5).fill(0), m: new Array(5).fill(0) };
  for (let c = 0; c < facts.customerCount; c++) {
    if (scores.r[c] === 0) continue;
    segCount[scores.segment[c]]++;
    segRevenue[scores.segment[c]] += facts.revenue[c];
    matrix[5 - scores.m[c]][scores.f[c] - 1]++;
    matrixRevenue[5 - scores.m[c]][scores.f[c] - 1] += facts.revenue[c];
    rings.r[scores.r[c] - 1]++;
    rings.f[scores.f[c] - 1]++;
    rings.m[scores.m[c] - 1]++;
  }
  return {
    segments: RFM_SEGMENTS.map((segment, i) => ({ segment, customers: segCount[i], revenue: segRevenue[i] })),
    valueFrequencyMatrix: matrix.map((counts, i) => ({ m: 5 - i, counts, revenue: matrixRevenue[i] })),
    rings,
  };
}
