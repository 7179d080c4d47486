import { describe, expect, it } from "vitest";
import { createSeededRng } from "../math/seeded-rng.ts";
import { fitBgNbd } from "./bg-nbd.ts";
import { customerLifetimeValue, TIME_UNITS_PER_MONTH } from "./customer-lifetime-value.ts";
import { bindCountingModel } from "./fitted-counting-model.ts";
import { fitGammaGamma, gammaGammaExpectedSpend } from "./gamma-gamma.ts";
import { countingModelParameterDraws, gammaGammaParameterDraws, percentileInterval } from "./prediction-intervals.ts";
import { groupPurchaseSummaries } from "./purchase-summary.ts";
import { loadCdnowSummary } from "./testing/cdnow-fixture.ts";

const rows = groupPurchaseSummaries(loadCdnowSummary());
const fit = fitBgNbd(rows);
const customer = { x: 2, tx: 30.43, T: 38.86 };

function purchasesInterval(data: typeof rows, seed: number) {
  const draws = countingModelParameterDraws("bg-nbd", data, fit.params, { draws: 400, rng: createSeededRng(seed) })!;
  const predict = (p: (typeof draws)[number]): number => bindCountingModel("bg-nbd", p).conditionalExpectedPurchases(39, customer.x, customer.tx, customer.T);
  return percentileInterval(predict(fit.params), draws.map(predict), 0.9);
}

describe("intervals for predicted purchases (parameter draws from the observed information)", () => {
  const interval = purchasesInterval(rows, 11);

  it("contains the point estimate and has positive width", () => {
    expect(interval.lower).toBeLessThan(interval.estimate);
    expect(interval.upper).toBeGreaterThan(interval.estimate);
  });

  it("narrows about √4 = 2 times with 4 times the customers (same tuples, counts × 4)", () => {
    const more = rows.map((r) => ({ ...r, count: r.count * 4 }));
    const narrower = purchasesInterval(more, 11);
    const ratio = (interval.upper - interval.lower) / (narrower.upper - narrower.lower);
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThan(2.3);
  });

  it("is reproducible for a seed", () => {
    expect(purchasesInterval(rows, 11)).toEqual(interval);
  });
});

describe("interval for CLV (counting-model and Gamma-Gamma draws combined)", () => {
  it("contains the 12-month CLV point estimate", () => {
    const spendRows = [
      { x: 1, meanSpend: 20 },
      { x: 2, meanSpend: 35 },
      { x: 5, meanSpend: 18 },
      { x: 3, meanSpend: 60 },
      { x: 1, meanSpend: 12 },
      { x: 8, meanSpend: 25 },
      { x: 2, meanSpend: 41 },
      { x: 4, meanSpend: 30 },
    ].flatMap((r, i) => Array.from({ length: 30 }, (_, k) => ({ ...r, meanSpend: r.meanSpend * (1 + ((i * 7 + k) % 10) / 20) })));
    const spendFit = fitGammaGamma(spendRows);
    const clv = (p: typeof fit.params, g: typeof spendFit.params): number =>
      customerLifetimeValue({
        expectedPurchasesBy: (t) => bindCountingModel("bg-nbd", p).conditionalExpectedPurchases(t, customer.x, customer.tx, customer.T),
        expectedSpend: gammaGammaExpectedSpend(g, customer.x, 30),
        timeUnitsPerMonth: TIME_UNITS_PER_MONTH.weeks,
      }).value;
    const rng = createSeededRng(5);
    const purchaseDraws = countingModelParameterDraws("bg-nbd", rows, fit.params, { draws: 200, rng })!;
    const spendDraws = gammaGammaParameterDraws(spendRows, spendFit.params, { draws: 200, rng })!;
    const values = purchaseDraws.map((p, i) => clv(p as typeof fit.params, spendDraws[i]));
    const interval = percentileInterval(clv(fit.params, spendFit.params), values, 0.9);
    expect(interval.lower).toBeLessThan(interval.estimate);
    expect(interval.upper).toBeGreaterThan(interval.estimate);
  });
});

describe("percentileInterval(estimate, values, level)", () => {
  it("reads the 5th and 95th percentiles with linear interpolation (type 7)", () => {
    const values = Array.from({ length: 101 }, (_, i) => i); // percentiles equal the index
    const interval = percentileInterval(50, values, 0.9);
    expect(interval.lower).toBeCloseTo(5, 12);
    expect(interval.upper).toBeCloseTo(95, 12);
    expect(interval.estimate).toBe(50);
    // between order statistics: 10 values, 5th percentile at position 0.45 → 0.45
    expect(percentileInterval(0, Array.from({ length: 10 }, (_, i) => i), 0.9).lower).toBeCloseTo(0.45, 12);
  });

  it("rejects non-finite draws and bad levels instead of dropping them", () => {
    expect(() => percentileInterval(1, [1, NaN, 2])).toThrow("row 1: drawnValues must be finite");
    expect(() => percentileInterval(1, [1, 2], 1)).toThrow(/level/);
    expect(() => percentileInterval(1, [1])).toThrow(/at least 2/);
  });
});
