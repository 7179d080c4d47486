/** Rating of a figure against the seed-000 benchmark bands (F4). */
export type BenchmarkRating = "below-average" | "average" | "good" | "excellent";

export interface BenchmarkBand {
  readonly metric: "ltv-cac" | "retention-rate" | "churn-rate-monthly" | "repeat-purchase-rate";
  /** Lower bounds of average / good / excellent; for churn, upper bounds (lower is better). */
  readonly average: number;
  readonly good: number;
  readonly excellent: number;
  readonly lowerIsBetter: boolean;
  /** The band as the seed writes it, for display. */
  readonly label: { average: string; good: string; excellent: string };
}

/**
 * Seed 000 bands (METRICS.md "Benchmark bands"). Gaps between the seed's bands (retention
 * 30–40 %, repeat 25–30 %, churn 7 %+) are closed by extending the lower band up to the next
 * one: retention 25–40 % is average, repeat 20–30 % is average, monthly churn above 7 % is below
 * average.
 */
export const BENCHMARK_BANDS: readonly BenchmarkBand[] = [
  { metric: "ltv-cac", average: 2, good: 3, excellent: 5, lowerIsBetter: false, label: { average: "2:1", good: "3:1", excellent: "5:1+" } },
  { metric: "retention-rate", average: 0.25, good: 0.4, excellent: 0.5, lowerIsBetter: false, label: { average: "25–30%", good: "40–50%", excellent: "50%+" } },
  { metric: "churn-rate-monthly", average: 0.07, good: 0.05, excellent: 0.03, lowerIsBetter: true, label: { average: "5–7%", good: "3–5%", excellent: "<3%" } },
  { metric: "repeat-purchase-rate", average: 0.2, good: 0.3, excellent: 0.4, lowerIsBetter: false, label: { average: "20–25%", good: "30–40%", excellent: "40%+" } },
];

/**
 * Rates `value` against `band`. Higher-is-better: ≥ excellent → excellent, ≥ good → good,
 * ≥ average → average. Churn (lower is better): < 3 % excellent, < 5 % good, ≤ 7 % average.
 */
export function rateAgainstBand(value: number, band: BenchmarkBand): BenchmarkRating {
  if (band.lowerIsBetter) {
    if (value < band.excellent) return "excellent";
    if (value < band.good) return "good";
    if (value <= band.average) return "average";
    return "below-average";
  }
  if (value >= band.excellent) return "excellent";
  if (value >= band.good) return "good";
  if (value >= band.average) return "average";
  return "below-average";
}

export interface BenchmarkResult {
  readonly metric: BenchmarkBand["metric"];
  readonly value: number | null;
  readonly rating: BenchmarkRating | null;
  readonly bands: BenchmarkBand["label"];
  /** Why there is no rating (e.g. no marketing spend entered for LTV:CAC). */
  readonly note?: string;
}

/** F4: the shop's four figures rated against the bands. */
export function benchmarkRatings(values: Record<BenchmarkBand["metric"], { value: number | null; note?: string }>): BenchmarkResult[] {
  return BENCHMARK_BANDS.map((band) => {
    const { value, note } = values[band.metric];
    return { metric: band.metric, value, rating: value === null ? null : rateAgainstBand(value, band), bands: band.label, ...(value === null && note ? { note } : {}) };
  });
}
