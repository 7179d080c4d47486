import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeStore, type StoreAnalysis } from "./analyze-store";
import { createDatasetBuilder, type StoreDataset } from "./dataset/dataset-builder";
import { dayIndexFromIsoDate, isoDateFromDayIndex as isoDay } from "./calendar/calendar-day";
import { testDataset, type TestOrder } from "./testing/test-dataset";

const DAY_2024_06_30 = dayIndexFromIsoDate("2024-06-30");

describe("analyzeStore(dataset, options): edge cases", () => {
  it("empty input: zero counts, no model, no crash", () => {
    const a = analyzeStore(createDatasetBuilder().build(), { asOf: "2024-01-31" });
    expect(a).toMatchObject({ customers: 0, orders: 0, guestOrders: 0, revenue: 0, guestOrderShare: null });
    expect(a.models.status).toBe("insufficient-data");
    expect(a.scores!.length).toBe(0);
    expect(a.scores!.rows()).toEqual([]);
    expect(a.cohorts).toEqual([]);
    expect(JSON.parse(JSON.stringify(a)).asOf).toBe("2024-01-31");
  });

  it("one customer with one order: one score row, descriptive figures only", () => {
    const a = analyzeStore(testDataset([["a", "2024-01-10", 25]]), { asOf: "2024-01-31" });
    expect(a.customers).toBe(1);
    expect(a.scores).toHaveLength(1);
    expect(a.scores!.row(0)).toMatchObject({ customer_id: "a", orders: 1, x: 0, t_x: 0, T: 3, lifecycle: "new", customer_type: "new", p_alive: null, clv: null, total_spent: 25, days_since_last_order: 21 });
    expect(a.customerTypes.counts.new).toBe(1);
    expect(a.metrics.figures["repeat-purchase-rate"].value).toBe(0);
    expect(a.models).toMatchObject({ status: "insufficient-data" });
    if (a.models.status === "insufficient-data") expect(a.models.reason).toMatch(/0 customers have bought more than once/);
  });

  it("all guests: orders and revenue counted, no customer figures", () => {
    const a = analyzeStore(testDataset([[null, "2024-01-10", 10], [null, "2024-01-11", 20]]), { asOf: "2024-01-31" });
    expect(a).toMatchObject({ customers: 0, orders: 2, guestOrders: 2, guestOrderShare: 1, revenue: 30 });
    expect(a.metrics.figures["guest-order-share"].value).toBe(1);
    expect(a.metrics.figures.aov.value).toBe(15);
    expect(a.metrics.figures.ltv.value).toBeNull();
  });

  it("same-day orders make one purchase event; a refund to zero stays an order; future rows are ignored and counted", () => {
    const a = analyzeStore(
      testDataset([
        ["a", "2024-01-01T09:00", 10],
        ["a", "2024-01-01T17:00", 15],
        ["a", "2024-01-15", 0],
        ["a", "2024-02-15", 50],
        [null, "2024-03-01", 5],
      ]),
      { asOf: "2024-01-31", timeUnit: "day" },
    );
    expect(a.orders).toBe(3);
    expect(a.revenue).toBe(25);
    expect(a.excludedOrders.afterAsOf).toBe(2);
    expect(a.scores!.row(0)).toMatchObject({ orders: 3, x: 1, t_x: 14, T: 30, total_spent: 25 });
  });

  it("stores every period preset's key metrics, the configured one being `metrics`, each compared with its own previous period", () => {
    // b orders in both years: in the 12 months to 2024-03-31 and in the 12 before.
    const a = analyzeStore(
      testDataset([
        ["a", "2024-03-20", 10],
        ["b", "2022-06-01", 20],
        ["b", "2023-06-01", 20],
        ["b", "2024-01-15", 20],
      ]),
      { asOf: "2024-03-31" },
    );
    expect(a.metricsByPeriod["90d"]).toEqual(a.metrics);
    expect(a.metricsByPeriod["30d"].figures["total-customers"].value).toBe(1);
    expect(a.metricsByPeriod["90d"].figures["total-customers"].value).toBe(2);
    expect(a.metricsByPeriod["12m"].previousPeriod).toEqual({ start: "2022-04-01", end: "2023-03-31" });
    expect(a.metricsByPeriod["12m"].figures["total-customers"].previous).toBe(1);
    // Monthly churn of the 12 months before the last 12 is known (24 months of lifecycle history).
    expect(a.metricsByPeriod["12m"].figures["churn-rate-monthly"].previous).not.toBeNull();
    expect(a.metricsByPeriod.all.previousPeriod).toBeNull();
  });

  it("says VIPs are few only when they are lost more often than the rest, whatever the VIP share setting", () => {
    // 20 customers ordering every 10 days; c0 and c1 spend the most (the VIP group at 10 %), c2–c5
    // stopped long ago (lost). Only where the VIPs stopped too are they under 10 % of the customers not lost.
    const store = (vipsLost: boolean) =>
      testDataset(
        Array.from({ length: 20 }, (_, i) => {
          const lastDaysAgo = i >= 2 && i <= 5 ? 300 : i < 2 && vipsLost ? 300 : 5;
          return [0, 10, 20].map((gap): TestOrder => [`c${i}`, isoDay(DAY_2024_06_30 - lastDaysAgo - gap), i < 2 ? 500 - 100 * i : 20 + i]);
        }).flat(),
      );
    const fewVips = (a: StoreAnalysis) => a.actions.find((x) => x.id === "small-vip-segment")!;
    const kept = fewVips(analyzeStore(store(false), { asOf: "2024-06-30" }));
    expect(kept.triggered).toBe(false);
    expect(kept.figures).toEqual({ vipShare: 2 / 16, vipGroupShare: 0.1 });
    const lost = fewVips(analyzeStore(store(true), { asOf: "2024-06-30" }));
    expect(lost.triggered).toBe(true);
    expect(lost.figures).toEqual({ vipShare: 0, vipGroupShare: 0.1 });
    // With a VIP share of 5 % only c0 is a VIP: 1 of the 16 customers not lost, over 5 %.
    const fewer = fewVips(analyzeStore(store(false), { asOf: "2024-06-30", groups: { vipShare: 0.05 } }));
    expect(fewer).toMatchObject({ triggered: false, figures: { vipShare: 1 / 16, vipGroupShare: 0.05 } });
  });

  it("rejects an as-of that is not a date", () => {
    expect(() => analyzeStore(createDatasetBuilder().build(), { asOf: "2024-02-30" })).toThrow(RangeError);
  });
});

/** Random small stores: up to 25 customers (and guests), 400 days, revenue 0–200. */
const storeArbitrary = fc.array(
  fc.tuple(fc.option(fc.integer({ min: 0, max: 24 }), { freq: 8 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 0, max: 20_000 })),
  { maxLength: 120 },
);
function storeFrom(rows: [number | null, number, number, number][]): StoreDataset {
  const orders: TestOrder[] = rows.map(([c, day, minute, cents]) => [
    c === null ? null : `c${c}`,
    new Date(Date.UTC(2023, 0, 1) + day * 864e5 + minute * 6e4).toISOString().slice(0, 16),
    cents / 100,
  ]);
  return testDataset(orders);
}
const inUnit = (v: number | null) => v === null || (v >= 0 && v <= 1);

describe("analyzeStore properties (fast-check; the seed is printed on failure)", () => {
  const analyse = (rows: [number | null, number, number, number][], period: "30d" | "90d" | "12m" | "all"): StoreAnalysis =>
    analyzeStore(storeFrom(rows), { asOf: "2024-01-15", period });

  it("dashboard segments and groups each partition the customers", () => {
    fc.assert(
      fc.property(storeArbitrary, (rows) => {
        const a = analyse(rows, "90d");
        const segmentTotal = Object.values(a.customerTypes.counts).reduce((s, v) => s + v, 0);
        const groupTotal = a.groups.metrics.reduce((s, g) => s + g.customers, 0);
        const lifecycleTotal = Object.values(a.lifecycle).reduce((s, v) => s + v, 0);
        const rfmTotal = a.rfm.groups.reduce((s, g) => s + g.customers, 0);
        return segmentTotal === a.customers && groupTotal === a.customers && lifecycleTotal === a.customers && rfmTotal === a.customers && a.scores!.length === a.customers;
      }),
      { numRuns: 150 },
    );
  });

  it("every rate and share lies within [0, 1]", () => {
    fc.assert(
      fc.property(storeArbitrary, fc.constantFrom("30d" as const, "90d" as const, "12m" as const, "all" as const), (rows, period) => {
        const a = analyse(rows, period);
        const f = a.metrics.figures;
        const rates = [f["repeat-purchase-rate"], f["retention-rate"], f["churn-rate-monthly"], f["guest-order-share"]].flatMap((m) => [m.value, m.previous]);
        const cohortShares = a.cohorts.flatMap((c) => [...c.retention, ...c.repeatedBy].map((cell) => cell.share));
        const churn = a.series.monthlyChurn.map((m) => m.rate);
        const lost = a.groups.metrics.map((g) => g.lostShare);
        return [...rates, ...cohortShares, ...churn, ...lost, a.guestOrderShare].every(inUnit);
      }),
      { numRuns: 150 },
    );
  });

  it("cohort cells never exceed the cohort's size, and incomplete cells carry no number", () => {
    fc.assert(
      fc.property(storeArbitrary, (rows) => {
        const a = analyse(rows, "all");
        return a.cohorts.every((c) =>
          [...c.retention, ...c.repeatedBy].every((cell) => (cell.incomplete ? cell.customers === null && cell.share === null : cell.customers! <= c.size)),
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe("analyzeStore on the CDNOW sample: the time unit rescales α but no prediction", () => {
  const builder = createDatasetBuilder();
  for (const line of readFileSync("tests/fixtures/cdnow/cdnow_sample.txt", "utf8").split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 5) continue;
    builder.add({ customerId: String(Number(f[1])), at: Date.UTC(+f[2].slice(0, 4), +f[2].slice(4, 6) - 1, +f[2].slice(6, 8)), revenue: Number(f[4]), items: Number(f[3]) });
  }
  const dataset = builder.build();
  const weeks = analyzeStore(dataset, { asOf: "1997-09-30", timeUnit: "week", horizon: 13 });
  const days = analyzeStore(dataset, { asOf: "1997-09-30", timeUnit: "day", horizon: 91 });

  it("BG/NBD: r, a, b unchanged, α in days = 7 × α in weeks (published r = 0.243, α = 4.414 weeks)", () => {
    if (weeks.models.status !== "fitted" || days.models.status !== "fitted") throw new Error("models not fitted");
    const w = weeks.models.bgnbd;
    const d = days.models.bgnbd;
    expect(d.r as number).toBeCloseTo(w.r as number, 3);
    expect(d.a as number).toBeCloseTo(w.a as number, 3);
    expect(d.b as number).toBeCloseTo(w.b as number, 3);
    expect((d.alpha as number) / (w.alpha as number)).toBeCloseTo(7, 2);
    expect(weeks.models.default).toBe(days.models.default);
  });

  it("P(alive), expected purchases (13 weeks = 91 days) and CLV agree per customer", () => {
    const byId = new Map(days.scores!.rows().map((s) => [s.customer_id, s]));
    let worst = 0;
    for (const w of weeks.scores!.rows()) {
      const d = byId.get(w.customer_id)!;
      worst = Math.max(worst, Math.abs(w.p_alive! - d.p_alive!), Math.abs(w.expected_purchases! - d.expected_purchases!), Math.abs(w.clv! - d.clv!) / Math.max(1, w.clv!));
    }
    // Both fits stop at the optimiser's tolerance, so agreement is to about 3 decimals.
    expect(worst).toBeLessThan(5e-3);
  });

  it("with BG/NBD as the scoring model, customer 1 expects 1.226 purchases in 39 weeks (Hardie's Excel sheet, lifetimes' test)", () => {
    const bg = analyzeStore(dataset, { asOf: "1997-09-30", timeUnit: "week", horizon: 39, predictions: { candidates: ["bg-nbd"] }, includeScores: true });
    if (bg.models.status !== "fitted") throw new Error("models not fitted");
    expect(bg.models.default).toBe("bg-nbd");
    const first = bg.scores!.rows().find((s) => s.customer_id === "1")!;
    expect(first.expected_purchases!).toBeCloseTo(1.226, 3);
  });

  it("store totals carry intervals around their estimates, and per-customer intervals are ordered", () => {
    if (weeks.models.status !== "fitted") throw new Error("models not fitted");
    const { expectedPurchases, clv, countIntervalsOverDraws } = weeks.models.totals;
    expect(expectedPurchases.lower!).toBeLessThan(expectedPurchases.estimate);
    expect(expectedPurchases.upper!).toBeGreaterThan(expectedPurchases.estimate);
    expect(clv.lower!).toBeLessThan(clv.estimate);
    expect(clv.upper!).toBeGreaterThan(clv.estimate);
    expect(countIntervalsOverDraws).toBe(true);
    for (const s of weeks.scores!.rows()) {
      expect(s.p_alive!).toBeGreaterThanOrEqual(0);
      expect(s.p_alive!).toBeLessThanOrEqual(1);
      expect(s.churn_risk).toBe(s.p_alive! < 0.3 ? "high" : s.p_alive! < 0.7 ? "medium" : "low");
      expect(s.expected_purchases_low!).toBeLessThanOrEqual(s.expected_purchases_high!);
      expect(s.clv_low!).toBeLessThanOrEqual(s.clv_high!);
    }
    // P(alive) and next-order intervals: ordered, inside [0, 1] / around the next-order date.
    let withNextInterval = 0;
    for (const s of weeks.scores!.rows()) {
      expect(s.p_alive_low!).toBeGreaterThanOrEqual(0);
      expect(s.p_alive_high!).toBeLessThanOrEqual(1);
      expect(s.p_alive_low!).toBeLessThanOrEqual(s.p_alive_high!);
      if (s.next_order_date !== null) {
        expect(s.next_order_date_low).not.toBeNull();
        expect(s.next_order_date_low! <= s.next_order_date).toBe(true);
        if (s.next_order_date_high !== null) {
          expect(s.next_order_date <= s.next_order_date_high).toBe(true);
          withNextInterval++;
        }
      }
    }
    expect(withNextInterval).toBeGreaterThan(0);
    // Summed over customers the per-customer point predictions are the store total.
    expect(weeks.scores!.rows().reduce((t, s) => t + s.expected_purchases!, 0)).toBeCloseTo(expectedPurchases.estimate, 6);
  });

  it("the default model gives one-time buyers P(alive) below 1 and a plain-language reason", () => {
    const oneTime = weeks.scores!.rows().filter((s) => s.x === 0);
    expect(oneTime.length).toBe(1411);
    expect(Math.max(...oneTime.map((s) => s.p_alive!))).toBeLessThan(1);
    // One-time buyers: days since their only purchase (T in weeks × 7), against the shop's usual gap.
    for (const s of oneTime) expect(s.reason).toMatchObject({ kind: "rhythm", rhythmOf: "shop", daysSinceLastOrder: Math.round(s.T * 7) });
    // Customer 1 (cdnow_sample_summary.csv): x = 2, t_x = 30.43 weeks, T = 38.86 weeks:
    // 213 days over 2 gaps (median = mean of two: 106.5 days), last purchase 272 − 213 = 59 days
    // ago: within the usual gap, so active and not later than usual.
    const first = weeks.scores!.rows().find((s) => s.customer_id === "1")!;
    expect(first.lifecycle).toBe("active");
    expect(first.reason).toMatchObject({ kind: "rhythm", rhythmOf: "customer", usualGapDays: 107, daysSinceLastOrder: 59, daysPastRhythm: 0 });
  });
});

describe("analyzeStore on data without purchase-rate heterogeneity", () => {
  it("skips Pareto/NBD with the reason instead of stalling, and scores with MBG/NBD", () => {
    // Every customer buys at the same Poisson rate (one order per ~60 days) and never drops out.
    let seed = 11;
    const rng = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const builder = createDatasetBuilder();
    for (let c = 0; c < 600; c++) {
      for (let day = Math.floor(rng() * 300); day <= 400; day += 1 + Math.floor(-Math.log(1 - rng()) * 60)) {
        builder.add({ customerId: `c${c}`, at: Date.UTC(2023, 0, 1) + day * 864e5, revenue: 20 });
      }
    }
    const a = analyzeStore(builder.build(), { asOf: "2024-02-05", includeScores: false });
    if (a.models.status !== "fitted") throw new Error("models not fitted");
    expect(a.models.skipped.map((s) => s.model)).toEqual(["pareto-nbd"]);
    expect(a.models.skipped[0].reason).toMatch(/no heterogeneity in purchase rates/);
    expect(a.models.paretoNbd).toBeUndefined();
    expect(a.models.default).toBe("mbg-nbd");
  });
});
