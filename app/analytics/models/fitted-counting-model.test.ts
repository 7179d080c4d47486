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
