import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases, bgNbdModel, fitBgNbd } from "./bg-nbd.ts";
import { countingModelStandardErrors } from "./counting-model.ts";
import { bindCountingModel, fitCountingModelByName } from "./fitted-counting-model.ts";
import { fitParetoNbd, paretoNbdProbabilityAlive } from "./pareto-nbd.ts";
import { groupPurchaseSummaries } from "./purchase-summary.ts";
import { loadCdnowSummary } from "./testing/cdnow-fixture.ts";

const rows = groupPurchaseSummaries(loadCdnowSummary());

describe("fitCountingModelByName(model, rows) and bindCountingModel(model, params)", () => {
  it("gives the same fit and predictions as the model-specific functions", () => {
    const byName = fitCountingModelByName("pareto-nbd", rows);
    const direct = fitParetoNbd(rows);
    expect(byName.fit.params).toEqual(direct.params);
    expect(byName.probabilityAlive(2, 30.43, 38.86)).toBe(paretoNbdProbabilityAlive(direct.params, 2, 30.43, 38.86));
    const bg = bindCountingModel("bg-nbd", { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    expect(bg.conditionalExpectedPurchases(39, 2, 30.43, 38.86)).toBe(
      bgNbdConditionalExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39, 2, 30.43, 38.86),
    );
  });

  it("refuses parameters of another model", () => {
    expect(() => bindCountingModel("bg-nbd", { r: 1, alpha: 1, s: 1, beta: 1 })).toThrow(TypeError);
    expect(() => bindCountingModel("pareto-nbd", { r: 1, alpha: 1, a: 1, b: 1 })).toThrow(TypeError);
  });
});

describe("probabilityAliveAtRecencies(x, T, recencies, out)", () => {
  it("equals probabilityAlive at each recency, for every model and both orders of α and β", () => {
    const models = [
      bindCountingModel("bg-nbd", { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }),
      bindCountingModel("mbg-nbd", { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }),
      bindCountingModel("pareto-nbd", { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 }),
      bindCountingModel("pareto-nbd", { r: 0.553, alpha: 14.2, s: 0.606, beta: 3.1 }),
    ];
    for (const model of models) {
      for (const [x, T] of [[0, 20], [1, 38.86], [2, 38.86], [7, 60], [40, 150]]) {
        // Recencies from the first purchase to the age itself (tx = T: bought today).
        const recencies = Float64Array.from(x === 0 ? [0] : [0.5, T / 3, T / 2, T - 1, T - 1e-9, T]);
        const out = new Float64Array(recencies.length);
        model.probabilityAliveAtRecencies(x, T, recencies, out);
        recencies.forEach((tx, i) => expect(out[i], `${model.model} x=${x} tx=${tx} T=${T}`).toBeCloseTo(model.probabilityAlive(x, tx, T), 12));
      }
    }
  });
});

describe("countingModelStandardErrors(spec, rows, params)", () => {
  it("halves when every customer is counted four times (information grows with N)", () => {
    const fit = fitBgNbd(rows);
    const se = countingModelStandardErrors(bgNbdModel, rows, fit.params)!;
    const se4 = countingModelStandardErrors(bgNbdModel, rows.map((r) => ({ ...r, count: 4 * r.count })), fit.params)!;
    for (const name of ["r", "alpha", "a", "b"] as const) {
      expect(se[name]).toBeGreaterThan(0);
      expect(se[name] / se4[name]).toBeCloseTo(2, 3);
    }
    // Plausibility against the sample size: r is pinned to within a few hundredths on 2,357 customers.
    expect(se.r).toBeLessThan(0.05);
  });
});
