import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CountingModelName } from "./counting-model.ts";
import { bindCountingModel, countingModelSpec, fitCountingModelByName, type CountingModelParams } from "./fitted-counting-model.ts";
import { preparePurchaseSummary, groupPurchaseSummaries, type PurchaseSummaryRow } from "./purchase-summary.ts";
import { loadCdnowSummary } from "./testing/cdnow-fixture.ts";

// Invariants every counting model must satisfy (lifetimes tests/test_estimation.py and
// STYLE.md "How to test"). fast-check prints the seed and the shrunk counter-example on
// failure; re-run with `fc.assert(…, { seed })` to reproduce.
const MODELS: CountingModelName[] = ["bg-nbd", "mbg-nbd", "pareto-nbd"];

const positive = (lo: number, hi: number): fc.Arbitrary<number> => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });

const paramsFor = (model: CountingModelName): fc.Arbitrary<CountingModelParams> =>
  model === "pareto-nbd"
    ? fc.record({ r: positive(0.05, 5), alpha: positive(0.1, 50), s: positive(0.05, 5), beta: positive(0.1, 50) })
    : fc.record({ r: positive(0.05, 5), alpha: positive(0.1, 50), a: positive(0.05, 5), b: positive(0.05, 10) });

/** (x, tx, T) with the model's invariants: tx = 0 iff x = 0, 0 < tx ≤ T otherwise. */
const customer = fc
  .record({ x: fc.integer({ min: 0, max: 40 }), T: positive(0.5, 100), share: positive(0.001, 1) })
  .map(({ x, T, share }) => ({ x, tx: x === 0 ? 0 : share * T, T }));

const SETTINGS = { numRuns: 150 };

describe.each(MODELS)("%s invariants", (model) => {
  it("P(alive) ∈ [0, 1] and does not increase as T grows with x, tx fixed", () => {
    fc.assert(
      fc.property(paramsFor(model), customer, positive(0, 200), (params, c, extra) => {
        const m = bindCountingModel(model, params);
        const now = m.probabilityAlive(c.x, c.tx, c.T);
        const later = m.probabilityAlive(c.x, c.tx, c.T + extra);
        expect(now).toBeGreaterThanOrEqual(0);
        expect(now).toBeLessThanOrEqual(1);
        expect(later).toBeLessThanOrEqual(now + 1e-12);
      }),
      SETTINGS,
    );
  });

  it("conditional and unconditional expected purchases do not decrease in t", () => {
    fc.assert(
      fc.property(paramsFor(model), customer, positive(0, 100), positive(0, 100), (params, c, t1, dt) => {
        const m = bindCountingModel(model, params);
        const a = m.conditionalExpectedPurchases(t1, c.x, c.tx, c.T);
        const b = m.conditionalExpectedPurchases(t1 + dt, c.x, c.tx, c.T);
        expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
        expect(a).toBeGreaterThanOrEqual(-1e-12);
        expect(b).toBeGreaterThanOrEqual(a - 1e-9 * Math.max(1, Math.abs(a)));
        const u = m.expectedPurchases(t1);
        expect(m.expectedPurchases(t1 + dt)).toBeGreaterThanOrEqual(u - 1e-9 * Math.max(1, Math.abs(u)));
      }),
      SETTINGS,
    );
  });

  it("the batch log-likelihood with counts equals the sum of per-customer log-likelihoods", () => {
    const spec = countingModelSpec(model);
    fc.assert(
      fc.property(
        paramsFor(model),
        fc.array(fc.record({ c: customer, count: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 20 }),
        (params, rows) => {
          const batch: PurchaseSummaryRow[] = rows.map(({ c, count }) => ({ ...c, count }));
          const expanded = rows.flatMap(({ c, count }) => Array.from({ length: count }, () => ({ ...c, count: 1 })));
          const perCustomer = expanded.reduce((sum, row) => sum + spec.logLikelihood(params, preparePurchaseSummary([row])), 0);
          const total = spec.logLikelihood(params, preparePurchaseSummary(batch));
          expect(total).toBeCloseTo(perCustomer, 6);
        },
      ),
      SETTINGS,
    );
  });
});

describe.each(MODELS)("%s under a change of time unit (weeks → days)", (model) => {
  const weeks = groupPurchaseSummaries(loadCdnowSummary());
  const days = weeks.map((r) => ({ ...r, tx: r.tx * 7, T: r.T * 7 }));
  const inWeeks = fitCountingModelByName(model, weeks);
  const inDays = fitCountingModelByName(model, days);

  it("multiplies α (and β) by 7 and keeps the shape parameters", () => {
    const w = inWeeks.params as unknown as Record<string, number>;
    const d = inDays.params as unknown as Record<string, number>;
    for (const name of countingModelSpec(model).parameterNames as readonly string[]) {
      const factor = name === "alpha" || name === "beta" ? 7 : 1;
      expect(Math.abs(d[name] / (w[name] * factor) - 1), name).toBeLessThan(1e-4);
    }
  });

  it("leaves every prediction unchanged (P(alive), conditional and unconditional expectations)", () => {
    for (const c of [
      { x: 0, tx: 0, T: 38.86 },
      { x: 2, tx: 30.43, T: 38.86 },
      { x: 9, tx: 20, T: 30 },
    ]) {
      expect(inDays.probabilityAlive(c.x, c.tx * 7, c.T * 7)).toBeCloseTo(inWeeks.probabilityAlive(c.x, c.tx, c.T), 4);
      expect(inDays.conditionalExpectedPurchases(52 * 7, c.x, c.tx * 7, c.T * 7)).toBeCloseTo(
        inWeeks.conditionalExpectedPurchases(52, c.x, c.tx, c.T),
        4,
      );
    }
    expect(inDays.expectedPurchases(39 * 7)).toBeCloseTo(inWeeks.expectedPurchases(39), 4);
  });
});
