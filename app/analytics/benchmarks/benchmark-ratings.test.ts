import { describe, expect, it } from "vitest";
import { BENCHMARK_BANDS, benchmarkRatings, rateAgainstBand } from "./benchmark-ratings";

const band = (metric: string) => BENCHMARK_BANDS.find((b) => b.metric === metric)!;

describe("rateAgainstBand(value, band) with the seed-000 bands", () => {
  it("rates LTV:CAC 1.9 below average, 2 average, 3 good, 5 excellent", () => {
    expect([1.9, 2, 2.99, 3, 4.99, 5, 8].map((v) => rateAgainstBand(v, band("ltv-cac")))).toEqual(["below-average", "average", "average", "good", "good", "excellent", "excellent"]);
  });
  it("rates retention 24 % below average, 25–40 % average, 40–50 % good, 50 %+ excellent", () => {
    expect([0.24, 0.25, 0.35, 0.4, 0.5].map((v) => rateAgainstBand(v, band("retention-rate")))).toEqual(["below-average", "average", "average", "good", "excellent"]);
  });
  it("rates monthly churn lower-is-better: 2.9 % excellent, 4 % good, 6 % average, 7.1 % below average", () => {
    expect([0.029, 0.04, 0.06, 0.07, 0.071].map((v) => rateAgainstBand(v, band("churn-rate-monthly")))).toEqual(["excellent", "good", "average", "average", "below-average"]);
  });
  it("rates repeat purchase rate 19 % below, 22 % average, 35 % good, 40 % excellent", () => {
    expect([0.19, 0.22, 0.35, 0.4].map((v) => rateAgainstBand(v, band("repeat-purchase-rate")))).toEqual(["below-average", "average", "good", "excellent"]);
  });
});

describe("benchmarkRatings(values)", () => {
  it("returns a null rating with the note when a figure is missing", () => {
    const r = benchmarkRatings({
      "ltv-cac": { value: null, note: "no marketing spend entered" },
      "retention-rate": { value: 0.45 },
      "churn-rate-monthly": { value: 0.02 },
      "repeat-purchase-rate": { value: 0.1 },
    });
    expect(r.map((x) => x.rating)).toEqual([null, "good", "excellent", "below-average"]);
    expect(r[0].note).toBe("no marketing spend entered");
    expect(r[1].bands.good).toBe("40–50%");
  });
});
