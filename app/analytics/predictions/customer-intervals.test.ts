import { describe, expect, it } from "vitest";
import { analyzeStore } from "../analyze-store";
import { SYNTHETIC_AS_OF, syntheticStore } from "../testing/synthetic-store";

// Every customer's P(alive) and 12-month CLV carry the 90 % interval of the parameter draws
// (docs/models/intervals.md), whatever the store's size: only the count interval's mixture over
// the draws is left to the evaluation budget (issue #9: "predicted CLV each with its interval";
// the demo store's 6,549 customers had none).
describe("per-customer P(alive) and CLV intervals", () => {
  const analyse = (orders: number, intervalEvaluationBudget?: number) =>
    analyzeStore(syntheticStore(orders), { asOf: SYNTHETIC_AS_OF, predictions: intervalEvaluationBudget === undefined ? {} : { intervalEvaluationBudget } });

  it("are stored for every predicted customer, around the estimate, in a store past the draw budget", () => {
    const analysis = analyse(30_000);
    if (analysis.models.status !== "fitted") throw new Error("models not fitted");
    // This store's count intervals are past the budget (they are taken at the fitted parameters).
    expect(analysis.models.totals.countIntervalsOverDraws).toBe(false);
    const rows = analysis.scores!.rows().filter((row) => row.p_alive !== null);
    expect(rows.length).toBeGreaterThan(5_000);
    for (const row of rows) {
      expect(row.p_alive_low!, row.customer_id).toBeLessThanOrEqual(row.p_alive!);
      expect(row.p_alive_high!, row.customer_id).toBeGreaterThanOrEqual(row.p_alive!);
      expect(row.clv_low!, row.customer_id).toBeLessThanOrEqual(row.clv!);
      expect(row.clv_high!, row.customer_id).toBeGreaterThanOrEqual(row.clv!);
    }
    // Not degenerate: the draws move most customers' CLV.
    expect(rows.filter((row) => row.clv_high! > row.clv_low!).length / rows.length).toBeGreaterThan(0.9);
  });

  it("do not depend on the budget, which decides only how count intervals are mixed", () => {
    const within = analyse(3_000, 100_000_000);
    const past = analyse(3_000, 1);
    if (within.models.status !== "fitted" || past.models.status !== "fitted") throw new Error("models not fitted");
    expect([within.models.totals.countIntervalsOverDraws, past.models.totals.countIntervalsOverDraws]).toEqual([true, false]);
    const pick = (row: ReturnType<NonNullable<typeof within.scores>["row"]>) => [row.p_alive_low, row.p_alive_high, row.clv_low, row.clv_high];
    expect(past.scores!.rows().map(pick)).toEqual(within.scores!.rows().map(pick));
  });

  it("narrow as the store grows: more customers pin the parameters down", () => {
    const medianWidth = (orders: number) => {
      const rows = analyse(orders).scores!.rows().filter((row) => row.clv !== null && row.clv > 0);
      const widths = rows.map((row) => (row.clv_high! - row.clv_low!) / row.clv!).sort((a, b) => a - b);
      return widths[widths.length >> 1];
    };
    const small = medianWidth(3_000);
    const large = medianWidth(100_000);
    expect(large).toBeGreaterThan(0);
    expect(large).toBeLessThan(small / 2);
  });
});
