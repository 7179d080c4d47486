/**
 * A store's yearly pattern in purchases (issue "Predictions" §5): January…December factors that
 * scale the expected purchases of each calendar month, found by classical multiplicative
 * decomposition and used only when the pattern is clear.
 *
 * Method (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §3.4
 * "Classical decomposition"): the trend of the monthly purchase rates (per day of the month) is their centred 2×12
 * moving average; each month's ratio to its trend is its seasonal deviation; a calendar month's
 * factor is the geometric mean of its ratios, normalised so the twelve average 1. A one-way
 * analysis of variance of the log ratios by calendar month (F test) decides whether the months
 * differ by more than their year-to-year noise; below significance the store gets no factors and
 * predictions stay exactly the model's. The test needs a ratio for every calendar month and a
 * second one for at least half of them, so at least 30 complete months of history.
 *
 * The counting models assume a constant purchase rate while alive. With factors s(m) averaging 1,
 * the expected purchases in a window are re-weighted month by month: the model's expected
 * increment over each calendar-month piece of the window times that month's factor
 * ({@link seasonalExpectation}). The dropout process and P(alive) are not changed.
 */
import { fDistributionUpperTail } from "../math/incomplete-beta";
import type { BoundCountingModel } from "./fitted-counting-model.ts";

export type YearlySeasonality =
  | {
      readonly status: "detected";
      /** Factor per calendar month, January first; their mean is 1. */
      readonly factors: readonly number[];
      readonly months: number;
      readonly fStatistic: number;
      readonly pValue: number;
    }
  | { readonly status: "none"; readonly reason: "history-too-short" | "not-significant" | "off"; readonly months: number; readonly pValue: number | null };

export interface SeasonalityOptions {
  /** Significance level of the month effect (default 0.01). */
  readonly alpha?: number;
  /** Complete months of history needed (default 30: every calendar month's ratio, most of them twice). */
  readonly minMonths?: number;
}

/**
 * The yearly pattern of a monthly series of purchase rates.
 *
 * @param counts purchases per day of each complete calendar month, oldest first (per day, so
 *   that the months' lengths are not mistaken for a pattern)
 * @param firstMonth calendar month of `counts[0]` (0 = January)
 */
export function detectYearlySeasonality(counts: readonly number[], firstMonth: number, options: SeasonalityOptions = {}): YearlySeasonality {
  const alpha = options.alpha ?? 0.01;
  const minMonths = Math.max(30, options.minMonths ?? 30);
  const n = counts.length;
  if (n < minMonths) return { status: "none", reason: "history-too-short", months: n, pValue: null };
  const logRatios: number[][] = Array.from({ length: 12 }, () => []);
  for (let t = 6; t + 6 < n; t++) {
    let trend = (counts[t - 6] + counts[t + 6]) / 2;
    for (let k = t - 5; k <= t + 5; k++) trend += counts[k];
    trend /= 12;
    if (trend <= 0 || counts[t] <= 0) continue;
    logRatios[(firstMonth + t) % 12].push(Math.log(counts[t] / trend));
  }
  // One-way ANOVA of the log ratios by calendar month.
  const groups = logRatios.filter((g) => g.length > 0);
  const total = groups.reduce((s, g) => s + g.length, 0);
  if (groups.length < 12 || total - groups.length < 1) return { status: "none", reason: "history-too-short", months: n, pValue: null };
  const mean = (g: readonly number[]) => g.reduce((s, v) => s + v, 0) / g.length;
  const grand = groups.reduce((s, g) => s + g.reduce((a, v) => a + v, 0), 0) / total;
  let between = 0;
  let within = 0;
  for (const g of groups) {
    const m = mean(g);
    between += g.length * (m - grand) ** 2;
    for (const v of g) within += (v - m) ** 2;
  }
  const d1 = groups.length - 1;
  const d2 = total - groups.length;
  const fStatistic = within === 0 ? (between === 0 ? 0 : Infinity) : between / d1 / (within / d2);
  const pValue = fStatistic === Infinity ? 0 : fDistributionUpperTail(fStatistic, d1, d2);
  if (!(pValue < alpha)) return { status: "none", reason: "not-significant", months: n, pValue };
  const raw = logRatios.map((g) => Math.exp(mean(g)));
  const average = raw.reduce((s, v) => s + v, 0) / 12;
  return { status: "detected", factors: raw.map((v) => v / average), months: n, fStatistic, pValue };
}

/**
 * Expected purchases in (0, t] re-weighted by calendar month: `expectedBy` is the model's
 * cumulative expectation from the as-of date in model time units; the window is cut where a
 * calendar month begins (`monthStarts`, model time units after the as-of date, ascending) and
 * each piece's increment is scaled by its month's factor (`factorOfPiece[k]` for the piece that
 * starts at `monthStarts[k - 1]`, `factorOfPiece[0]` for the piece from 0).
 */
export function seasonalExpectation(expectedBy: (t: number) => number, monthStarts: readonly number[], factorOfPiece: readonly number[]): (t: number) => number {
  // The model's expectation at each month start, kept between calls: a CLV profile asks for a
  // dozen month ends, each of which would otherwise re-evaluate every month start before it.
  const atMonthStart = new Float64Array(monthStarts.length).fill(NaN);
  return (t) => {
    let total = 0;
    let from = 0;
    let before = 0;
    for (let k = 0; k <= monthStarts.length; k++) {
      const to = k < monthStarts.length ? Math.min(t, monthStarts[k]) : t;
      if (to > from) {
        const whole = k < monthStarts.length && to === monthStarts[k];
        if (whole && Number.isNaN(atMonthStart[k])) atMonthStart[k] = expectedBy(to);
        const at = whole ? atMonthStart[k] : expectedBy(to);
        total += factorOfPiece[k] * (at - before);
        before = at;
        from = to;
      }
      if (to >= t) break;
    }
    return total;
  };
}

/** Where the calendar months after an as-of day begin (model time units) and each piece's factor. */
export interface SeasonalPieces {
  readonly monthStarts: readonly number[];
  readonly factorOfPiece: readonly number[];
}

/**
 * A counting model whose expected purchases after the as-of day of `pieces` follow the yearly
 * pattern ({@link seasonalExpectation}); P(alive) and the next-purchase distribution are the
 * model's. Every expected count of a window that starts at that day (the horizon, the coming
 * weeks, a back-test's hold-out) goes through this one wrapper.
 */
export function withSeasonality(model: BoundCountingModel, pieces: SeasonalPieces | null): BoundCountingModel {
  if (pieces === null) return model;
  const givenAlive = (t: number, x: number, T: number) => seasonalExpectation((u) => model.expectedPurchasesGivenAlive(u, x, T), pieces.monthStarts, pieces.factorOfPiece)(t);
  return {
    ...model,
    expectedPurchasesGivenAlive: givenAlive,
    conditionalExpectedPurchases: (t, x, tx, T) => model.probabilityAlive(x, tx, T) * givenAlive(t, x, T),
    expectedPurchases: (t) => seasonalExpectation((u) => model.expectedPurchases(u), pieces.monthStarts, pieces.factorOfPiece)(t),
  };
}

/**
 * The calendar-month pieces after an as-of day, for {@link seasonalExpectation}: where each of the
 * next `months` months begins, in model time units, and the factor of each piece.
 */
export function seasonalPieces(asOfDay: number, unitDays: number, factors: readonly number[], months: number): SeasonalPieces {
  const asOf = new Date(asOfDay * 86_400_000);
  let year = asOf.getUTCFullYear();
  let month = asOf.getUTCMonth();
  const monthStarts: number[] = [];
  const factorOfPiece = [factors[month]];
  for (let k = 0; k < months; k++) {
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
    // Time 0 is the end of the as-of day: the month's first day starts at its day index − as-of − 1.
    monthStarts.push((Date.UTC(year, month, 1) / 86_400_000 - asOfDay - 1) / unitDays);
    factorOfPiece.push(factors[month]);
  }
  return { monthStarts, factorOfPiece };
}
