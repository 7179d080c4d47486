import { describe, expect, it } from "vitest";
import { analyzeStore } from "../analyze-store";
import { createDatasetBuilder } from "../dataset/dataset-builder";
import { createSeededRng, sampleBeta, sampleGamma } from "../math/seeded-rng";
import { monthlyPurchaseRates } from "../predictions/store-predictions";
import { detectYearlySeasonality, seasonalExpectation, seasonalPieces } from "./seasonality";

const DAY = 86_400_000;
/** A strong November–December peak: twice the purchase rate, the other ten months 0.8 (mean 1). */
const PEAK = [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 2, 2];
const FLAT = new Array(12).fill(1);

/**
 * A BG/NBD store (Fader, Hardie & Lee 2005: Gamma purchase rates, Beta dropout after each
 * purchase) whose purchase rate while alive is modulated by calendar month: a Poisson process of
 * rate λ·max(s) thinned with probability s(month)/max(s). Customers join evenly over the years
 * before `asOf`; purchases after it are the hold-out "future".
 */
function seasonalStore(seed: number, seasonal: readonly number[], customers: number, years: number, asOf: number, futureDays: number) {
  const rng = createSeededRng(seed);
  const max = Math.max(...seasonal);
  const builder = createDatasetBuilder();
  const future: number[] = [];
  const start = asOf - years * 365 * DAY;
  for (let c = 0; c < customers; c++) {
    const lambda = sampleGamma(rng, 0.6, 40); // purchases per day while alive: mean 0.015
    const p = sampleBeta(rng, 0.8, 4);
    let t = start + rng() * (asOf - start);
    builder.add({ customerId: `c${c}`, at: t, revenue: 20 + 60 * rng() });
    for (;;) {
      if (rng() < p) break; // dropped out after this purchase
      const end = asOf + futureDays * DAY;
      let accepted = false;
      while (!accepted && t <= end) {
        t += (-Math.log(1 - rng()) / (lambda * max)) * DAY;
        accepted = t <= end && rng() < seasonal[new Date(t).getUTCMonth()] / max;
      }
      if (t > end) break;
      if (t > asOf) future.push(t);
      else builder.add({ customerId: `c${c}`, at: t, revenue: 20 + 60 * rng() });
    }
  }
  return { dataset: builder.build(), futurePurchases: future.length };
}

describe("detectYearlySeasonality", () => {
  it("finds a known November–December peak in a simulated store and its size", () => {
    const asOf = Date.UTC(2026, 9, 31, 23, 0);
    const { dataset } = seasonalStore(1, PEAK, 6_000, 4, asOf, 0);
    const analysis = analyzeStore(dataset, { asOf: "2026-10-31" });
    if (analysis.models.status !== "fitted") throw new Error("expected a fitted model");
    const found = analysis.models.seasonality;
    if (found.status !== "detected") throw new Error(`no pattern found: ${JSON.stringify(found)}`);
    expect(found.pValue).toBeLessThan(1e-4);
    // November and December about 2.5× the other months (2 / 0.8), each month within 20 % of the truth.
    found.factors.forEach((factor, month) => expect(Math.abs(factor / PEAK[month] - 1), `month ${month + 1}`).toBeLessThan(0.2));
  }, 120_000); // whole analyses of a 6,000-customer store: slow on a loaded machine

  it("finds nothing in a store without a yearly pattern, and then changes no prediction", () => {
    const asOf = Date.UTC(2026, 9, 31, 23, 0);
    const { dataset } = seasonalStore(2, FLAT, 6_000, 4, asOf, 0);
    const auto = analyzeStore(dataset, { asOf: "2026-10-31" });
    const off = analyzeStore(dataset, { asOf: "2026-10-31", predictions: { seasonality: "off" } });
    if (auto.models.status !== "fitted" || off.models.status !== "fitted") throw new Error("expected fitted models");
    expect(auto.models.seasonality.status).toBe("none");
    expect(auto.scoringBasis.predictions!.seasonalFactors).toBeNull();
    expect(auto.models.totals).toEqual(off.models.totals);
    expect(auto.scores!.rows(0, 200)).toEqual(off.scores!.rows(0, 200));
  }, 120_000); // whole analyses of a 6,000-customer store: slow on a loaded machine

  it("with the pattern, the purchases expected over November–January come closer to what happened", () => {
    const asOf = Date.UTC(2026, 9, 31, 23, 0);
    const horizonWeeks = 13;
    const { dataset, futurePurchases } = seasonalStore(3, PEAK, 6_000, 4, asOf, horizonWeeks * 7);
    const expectedTotal = (seasonality: "auto" | "off") => {
      const analysis = analyzeStore(dataset, { asOf: "2026-10-31", horizon: horizonWeeks, predictions: { seasonality } });
      if (analysis.models.status !== "fitted") throw new Error("expected a fitted model");
      return analysis.models.totals.expectedPurchases.estimate;
    };
    const seasonal = expectedTotal("auto");
    const plain = expectedTotal("off");
    // The peak months lie in the window: more purchases expected, and nearer the truth.
    expect(seasonal).toBeGreaterThan(plain * 1.2);
    expect(Math.abs(seasonal - futurePurchases)).toBeLessThan(Math.abs(plain - futurePurchases) / 2);
  }, 120_000); // whole analyses of a 6,000-customer store: slow on a loaded machine

  it("the back-test applies the calibration period's pattern: its hold-out error over October–December is smaller", () => {
    // As of 31 December the 90-day hold-out (3 October – 31 December) holds the peak.
    const asOf = Date.UTC(2026, 11, 31, 23, 0);
    const { dataset } = seasonalStore(4, PEAK, 6_000, 4, asOf, 0);
    const backtest = (seasonality: "auto" | "off") => {
      const analysis = analyzeStore(dataset, { asOf: "2026-12-31", predictions: { seasonality } });
      if (analysis.models.status !== "fitted" || "skipped" in analysis.models.backtest) throw new Error("expected a back-test");
      return { models: analysis.models, backtest: analysis.models.backtest };
    };
    const seasonal = backtest("auto");
    const plain = backtest("off");
    // Factors from the calibration period (up to 2 October) only, and they show the peak.
    const factors = seasonal.backtest.seasonalFactors;
    if (!factors) throw new Error("no pattern found in the calibration period");
    expect(factors[10]).toBeGreaterThan(1.5); // truth 2 (2.5× the quiet months)
    expect(factors[0]).toBeLessThan(1);
    expect(plain.backtest.seasonalFactors).toBeNull();
    const chosen = (b: typeof seasonal.backtest) => b.ranking[0];
    expect(chosen(seasonal.backtest).actualTotal).toBe(chosen(plain.backtest).actualTotal);
    // Without the pattern the model misses the peak; with it the total and each customer come closer.
    expect(chosen(plain.backtest).relativeErrorOfTotal!).toBeLessThan(-0.2);
    expect(Math.abs(chosen(seasonal.backtest).relativeErrorOfTotal!)).toBeLessThan(Math.abs(chosen(plain.backtest).relativeErrorOfTotal!) / 2);
    expect(chosen(seasonal.backtest).meanAbsoluteError).toBeLessThan(chosen(plain.backtest).meanAbsoluteError);
    // The weekly series is the same prediction: it adds up to the chosen model's total and rises into December.
    const weekly = seasonal.backtest.weekly!;
    expect(weekly.reduce((sum, w) => sum + w.predicted, 0)).toBeCloseTo(chosen(seasonal.backtest).predictedTotal, 6);
    expect(weekly[10].predicted).toBeGreaterThan(weekly[1].predicted * 1.8);
    // The coming weeks (timing page) follow the pattern too and add up to the store's expected purchases.
    const coming = seasonal.models.expectedPurchasesByWeek!;
    expect(coming.reduce((sum, w) => sum + w.expected, 0)).toBeCloseTo(seasonal.models.totals.expectedPurchases.estimate, 6);
    // January–March are quiet months (factor ≈ 0.8): fewer than the model alone expects.
    expect(coming[0].expected).toBeLessThan(plain.models.expectedPurchasesByWeek![0].expected * 0.9);
  }, 120_000);

  it("does not mistake the months' lengths for a pattern: February's fewer orders are per day the same", () => {
    // Ten orders every day for four years: per month 280–310, per day always 10.
    const builder = createDatasetBuilder();
    const first = Date.UTC(2022, 0, 1, 12);
    for (let d = 0; d < 4 * 365 + 1; d++) for (let k = 0; k < 10; k++) builder.add({ customerId: `c${(d * 10 + k) % 3_000}`, at: first + d * DAY, revenue: 30 });
    const [rates, firstMonth] = monthlyPurchaseRates(builder.build(), Date.UTC(2025, 11, 31) / DAY);
    expect(rates).toHaveLength(47);
    expect(new Set(rates)).toEqual(new Set([10]));
    expect(detectYearlySeasonality(rates, firstMonth)).toMatchObject({ status: "none", reason: "not-significant" });
    // The same months as counts of orders show "February" as a strong, significant dip.
    const counts = rates.map((rate, t) => rate * new Date(Date.UTC(2022, 1 + t + 1, 0)).getUTCDate());
    expect(detectYearlySeasonality(counts, firstMonth).status).toBe("detected");
  });

  it("needs two and a half years of months, and says so", () => {
    const pattern = (months: number) => Array.from({ length: months }, (_, t) => 100 * PEAK[t % 12] * (1 + 0.02 * Math.sin(t)));
    expect(detectYearlySeasonality(pattern(29), 0)).toMatchObject({ status: "none", reason: "history-too-short", months: 29 });
    expect(detectYearlySeasonality(pattern(30), 0)).toMatchObject({ status: "detected", months: 30 });
  });
});

describe("seasonalExpectation", () => {
  it("scales each calendar month's part of the expectation by its factor", () => {
    // A constant rate of 1 a day from 2026-10-31: 30 days of November (×2), then December (×3).
    const asOfDay = Date.UTC(2026, 9, 31) / DAY;
    const factors = FLAT.map((_, m) => (m === 10 ? 2 : m === 11 ? 3 : 1));
    const { monthStarts, factorOfPiece } = seasonalPieces(asOfDay, 1, factors, 3);
    const expected = seasonalExpectation((t) => t, monthStarts, factorOfPiece);
    expect(expected(30)).toBeCloseTo(60, 10);
    expect(expected(40)).toBeCloseTo(60 + 30, 10);
    expect(expected(61)).toBeCloseTo(60 + 93, 10);
    expect(expected(62)).toBeCloseTo(60 + 93 + 1, 10);
  });
});
