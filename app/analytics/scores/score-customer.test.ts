import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeStore } from "../analyze-store";
import { createDatasetBuilder, type PurchaseRow } from "../dataset/dataset-builder";
import { createSeededRng } from "../models/index.ts";
import { scoreCustomer } from "./score-customer";

const DAY = 86_400_000;

/** A random store: BG/NBD-like buyers (rate, dropout, spend level), some test and cancelled orders. */
function randomStore(seed: number, customers: number, spanDays: number, asOf: number): Map<string, PurchaseRow[]> {
  const rng = createSeededRng(seed);
  const byCustomer = new Map<string, PurchaseRow[]>();
  for (let i = 0; i < customers; i++) {
    const id = `gid://shopify/Customer/${i + 1}`;
    const rate = (-Math.log(1 - rng()) * 1) / (10 + 80 * rng());
    const dropout = 0.05 + 0.5 * rng();
    const spend = 10 + 200 * rng() * rng();
    let day = Math.floor(rng() * spanDays);
    const rows: PurchaseRow[] = [];
    for (;;) {
      const at = asOf - spanDays * DAY + day * DAY + Math.floor(rng() * DAY);
      rows.push({
        customerId: id,
        at,
        revenue: Math.round(spend * (0.5 + rng()) * 100) / 100,
        items: 1 + Math.floor(rng() * 3),
        source: rng() < 0.5 ? "web" : "instagram",
        test: rng() < 0.02,
        cancelled: rng() < 0.03,
      });
      if (rng() < dropout) break;
      day += Math.max(1, Math.round(-Math.log(1 - rng()) / rate));
      if (day >= spanDays + 30) break; // a few orders after the as-of date: both must ignore them
    }
    byCustomer.set(id, rows);
  }
  return byCustomer;
}

const settings = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  customers: fc.integer({ min: 30, max: 400 }),
  spanDays: fc.integer({ min: 40, max: 900 }),
  vipShare: fc.constantFrom(0.05, 0.1, 0.25),
  activeFactor: fc.constantFrom(1.2, 1.5, 2),
  newCustomerDays: fc.constantFrom(14, 30, 60),
  // A coarse prediction grid and a tight interval budget: the paths big stores take.
  maxPredictionTuples: fc.constantFrom(20_000, 40),
  intervalEvaluationBudget: fc.constantFrom(400_000, 500),
  timeUnit: fc.constantFrom("week" as const, "day" as const),
});

describe("scoreCustomer", () => {
  it("scores a customer alone exactly as the full analysis scored them (random stores)", () => {
    const seen = { binned: 0, withoutCustomerIntervals: 0, withIntervals: 0, withoutModel: 0 };
    fc.assert(
      fc.property(settings, (s) => {
        const asOfIso = "2026-11-30";
        const asOf = Date.UTC(2026, 10, 30, 23, 59);
        const store = randomStore(s.seed, s.customers, s.spanDays, asOf);
        const builder = createDatasetBuilder({ utcOffsetMinutes: 60 });
        for (const rows of store.values()) for (const row of rows) builder.add(row);
        const analysis = analyzeStore(builder.build(), {
          asOf: asOfIso,
          timeUnit: s.timeUnit,
          groups: { vipShare: s.vipShare },
          lifecycle: { activeFactor: s.activeFactor, lostFactor: s.activeFactor + 0.5, newCustomerDays: s.newCustomerDays },
          predictions: { maxPredictionTuples: s.maxPredictionTuples, intervalEvaluationBudget: s.intervalEvaluationBudget, intervalDraws: 20 },
        });
        const scores = analysis.scores!;
        // The basis goes through JSON, as it does when stored with the analysis.
        const basis = JSON.parse(JSON.stringify(analysis.scoringBasis));
        const model = analysis.scoringBasis.predictions;
        if (!model) seen.withoutModel++;
        else {
          if (model.binDays > 1) seen.binned++;
          if (model.countIntervalsOverDraws) seen.withIntervals++;
          else seen.withoutCustomerIntervals++;
        }
        for (let i = 0; i < scores.length; i++) {
          const full = scores.row(i);
          const alone = scoreCustomer(store.get(full.customer_id)!, basis, asOfIso, { utcOffsetMinutes: 60 });
          expect(alone, full.customer_id).toEqual(full);
        }
        // Customers whose every order was a test, cancelled or later order get no row either way.
        const scored = new Set(scores.rows().map((row) => row.customer_id));
        for (const [id, rows] of store) if (!scored.has(id)) expect(scoreCustomer(rows, basis, asOfIso, { utcOffsetMinutes: 60 })).toBeNull();
      }),
      { numRuns: 30, seed: 20261203 },
    );
    // The runs covered the paths a big store takes, a small one, and one without a model.
    expect(seen.binned).toBeGreaterThan(0);
    expect(seen.withoutCustomerIntervals).toBeGreaterThan(0);
    expect(seen.withIntervals).toBeGreaterThan(0);
    expect(seen.withoutModel).toBeGreaterThan(0);
  });

  it("exercises both a fitted model and too little data for one", () => {
    // The property above is only meaningful if it covers stores with and without predictions.
    const asOf = Date.UTC(2026, 10, 30, 23, 59);
    const fitted = randomStore(7, 300, 700, asOf);
    const tiny = randomStore(8, 30, 40, asOf);
    const analyse = (store: Map<string, PurchaseRow[]>) => {
      const builder = createDatasetBuilder();
      for (const rows of store.values()) for (const row of rows) builder.add(row);
      return analyzeStore(builder.build(), { asOf: "2026-11-30" });
    };
    const big = analyse(fitted);
    expect(big.models.status).toBe("fitted");
    expect(big.scoringBasis.predictions).not.toBeNull();
    const row = big.scores!.row(0);
    const alone = scoreCustomer(fitted.get(row.customer_id)!, big.scoringBasis, "2026-11-30");
    expect(alone?.p_alive).not.toBeNull();
    expect(alone).toEqual(row);
    const small = analyse(tiny);
    expect(small.models.status).toBe("insufficient-data");
    expect(small.scoringBasis.predictions).toBeNull();
  });

  it("moves with time: the same orders scored a year later are less recent and less likely alive", () => {
    const asOf = Date.UTC(2026, 10, 30, 23, 59);
    const store = randomStore(11, 300, 700, asOf);
    const builder = createDatasetBuilder();
    for (const rows of store.values()) for (const row of rows) builder.add(row);
    const analysis = analyzeStore(builder.build(), { asOf: "2026-11-30" });
    const repeat = analysis.scores!.rows().find((row) => row.orders >= 3 && row.days_since_last_order < 30)!;
    const orders = store.get(repeat.customer_id)!.filter((order) => order.at <= asOf);
    const later = scoreCustomer(orders, analysis.scoringBasis, "2027-11-30")!;
    expect(later.days_since_last_order).toBe(repeat.days_since_last_order + 365);
    expect(later.p_alive!).toBeLessThan(repeat.p_alive!);
    expect(later.lifecycle).toBe("lost");
  });

  it("refuses orders of two customers or of a guest", () => {
    const asOf = Date.UTC(2026, 10, 30, 23, 59);
    const store = randomStore(3, 300, 700, asOf);
    const builder = createDatasetBuilder();
    for (const rows of store.values()) for (const row of rows) builder.add(row);
    const { scoringBasis } = analyzeStore(builder.build(), { asOf: "2026-11-30", includeScores: false });
    const [a, b] = [...store.values()];
    expect(() => scoreCustomer([...a, ...b], scoringBasis, "2026-11-30")).toThrow(RangeError);
    expect(() => scoreCustomer([{ customerId: null, at: asOf - DAY, revenue: 10 }], scoringBasis, "2026-11-30")).toThrow(/guest/);
  });
});
