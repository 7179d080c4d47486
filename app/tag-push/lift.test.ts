import { describe, expect, it } from "vitest";
import { createSeededRng, sampleGamma, type Rng } from "~/analytics/math/seeded-rng";
import { liftReport, newcombeDifference, tQuantile975, welchDifference, type CustomerOutcome } from "./lift";

function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

/** A store's customers over the weeks after a push: orders ~ Poisson(rate), each order's value ~ Gamma(4, 4/60) (mean 60). */
function customers(rng: Rng, n: number, rate: number): CustomerOutcome[] {
  return Array.from({ length: n }, () => {
    const orders = poisson(rng, rate);
    let revenue = 0;
    for (let i = 0; i < orders; i++) revenue += sampleGamma(rng, 4, 4 / 60);
    return { orders, revenue };
  });
}

describe("t quantile", () => {
  it("matches Student's t table at 97.5 % (R qt(0.975, ν))", () => {
    expect(tQuantile975(5)).toBeCloseTo(2.570582, 3);
    expect(tQuantile975(10)).toBeCloseTo(2.228139, 4);
    expect(tQuantile975(30)).toBeCloseTo(2.042272, 5);
    expect(tQuantile975(1e9)).toBeCloseTo(1.959964, 6);
    expect(tQuantile975(2.5)).toBeCloseTo(4.302653, 5); // below 5: the table at ⌊ν⌋, wider
  });
});

describe("intervals against published examples", () => {
  it("Newcombe 1998 table II example (a): 56/70 vs 48/80 gives 0.0524 to 0.3339", () => {
    const d = newcombeDifference(56, 70, 48, 80);
    expect(d.low).toBeCloseTo(0.0524, 3);
    expect(d.high).toBeCloseTo(0.3339, 3);
    expect(d.significant).toBe(true);
  });
  it("Newcombe 1998 example (h): 10/10 vs 0/20 gives 0.6791 to 1.0000", () => {
    const d = newcombeDifference(10, 10, 0, 20);
    expect(d.low).toBeCloseTo(0.6791, 3);
    expect(d.high).toBeCloseTo(1, 4);
  });
  it("Welch: equal groups with no spread have no interval width; identical groups are not significant", () => {
    expect(welchDifference([2, 2, 2], [1, 1, 1])).toMatchObject({ difference: 1, low: 1, high: 1, significant: true });
    expect(welchDifference([1, 2, 3, 4], [1, 2, 3, 4]).significant).toBe(false);
  });
});

describe("lift report on a simulated store", () => {
  it("finds the lift where tagged members were made to buy more, and its intervals cover the true differences about 95 % of the time", () => {
    const rng = createSeededRng(42);
    const stores = 200;
    const found = { orders: 0, revenue: 0, conversion: 0 };
    const covered = { orders: 0, revenue: 0, conversion: 0 };
    // True differences: 0.2 orders, 0.2 × 60 = 12 in revenue, (1 − e^−0.6) − (1 − e^−0.4) in conversion.
    const truth = { orders: 0.2, revenue: 12, conversion: Math.exp(-0.4) - Math.exp(-0.6) };
    for (let store = 0; store < stores; store++) {
      const report = liftReport(customers(rng, 4_500, 0.6), customers(rng, 500, 0.4));
      if (report.state !== "measured") throw new Error("expected a measured report");
      for (const key of ["orders", "revenue", "conversion"] as const) {
        if (report[key].significant && report[key].low > 0) found[key]++;
        if (report[key].low <= truth[key] && truth[key] <= report[key].high) covered[key]++;
      }
    }
    for (const key of ["orders", "revenue", "conversion"] as const) {
      expect(found[key] / stores, key).toBeGreaterThan(0.9);
      expect(covered[key] / stores, key).toBeGreaterThan(0.9);
      expect(covered[key] / stores, key).toBeLessThan(0.99);
    }
  });

  it("reports nothing significant where tagged members bought as before: about 5 % false alarms over 400 stores", () => {
    const rng = createSeededRng(7);
    let alarms = 0;
    let covered = 0;
    for (let store = 0; store < 400; store++) {
      const report = liftReport(customers(rng, 900, 0.5), customers(rng, 100, 0.5));
      if (report.state !== "measured") throw new Error("expected a measured report");
      if (report.orders.significant) alarms++;
      if (report.conversion.low <= 0 && report.conversion.high >= 0) covered++;
    }
    expect(alarms / 400).toBeGreaterThan(0.01);
    expect(alarms / 400).toBeLessThan(0.09);
    expect(covered / 400).toBeGreaterThan(0.91);
  });

  it("waits while a group is too small, and says when there is no hold-out", () => {
    expect(liftReport([{ orders: 1, revenue: 10 }], [])).toEqual({ state: "no-hold-out" });
    expect(liftReport(Array(50).fill({ orders: 1, revenue: 1 }), Array(3).fill({ orders: 0, revenue: 0 }))).toEqual({ state: "too-few", tagged: 50, holdOut: 3 });
  });
});
