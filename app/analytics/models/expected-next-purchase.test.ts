import { describe, expect, it } from "vitest";
import { expectedNextPurchase } from "./expected-next-purchase.ts";
import { bindCountingModel, type BoundCountingModel } from "./fitted-counting-model.ts";

/** A hand-made model: alive with probability pAlive, buys `rate` per unit of time while alive. */
function constantRateModel(pAlive: number, rate: number, cap = Infinity): BoundCountingModel {
  return {
    model: "bg-nbd",
    params: { r: 1, alpha: 1, a: 1, b: 1 },
    probabilityAlive: () => pAlive,
    probabilityAliveAtRecencies: (_x, _T, recencies, out) => out.fill(pAlive, 0, recencies.length),
    expectedPurchasesGivenAlive: (t) => Math.min(rate * t, cap),
    conditionalExpectedPurchases: (t) => pAlive * Math.min(rate * t, cap),
    expectedPurchases: (t) => rate * t,
    probabilityPurchaseGivenAlive: (t) => -Math.expm1(-rate * t),
  };
}

describe("expectedNextPurchase(model, x, tx, T, options)", () => {
  it("is the time at which expected purchases given alive reach 1 (rate 0.1 → 10)", () => {
    const next = expectedNextPurchase(constantRateModel(0.8, 0.1), 3, 10, 20, { maxHorizon: 100 });
    expect(next!.timeFromNow).toBeCloseTo(10, 3);
    expect(next!.probabilityAlive).toBe(0.8);
  });

  it("returns null when P(alive) is below the threshold", () => {
    expect(expectedNextPurchase(constantRateModel(0.05, 0.1), 3, 10, 20, { maxHorizon: 100 })).toBeNull();
    expect(expectedNextPurchase(constantRateModel(0.05, 0.1), 3, 10, 20, { maxHorizon: 100, minProbabilityAlive: 0.01 })).not.toBeNull();
  });

  it("returns null when the expectation never reaches one purchase within the horizon", () => {
    expect(expectedNextPurchase(constantRateModel(0.9, 0.1, 0.7), 3, 10, 20, { maxHorizon: 1000 })).toBeNull();
  });

  it("with BG/NBD on CDNOW, a frequent buyer's next purchase comes sooner than an occasional buyer's", () => {
    const model = bindCountingModel("bg-nbd", { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    const frequent = expectedNextPurchase(model, 10, 37, 38.86, { maxHorizon: 520 });
    const occasional = expectedNextPurchase(model, 2, 37, 38.86, { maxHorizon: 520 });
    expect(frequent).not.toBeNull();
    expect(occasional).not.toBeNull();
    expect(frequent!.timeFromNow).toBeLessThan(occasional!.timeFromNow);
    // consistency: at the returned time, E[Y | alive] = 1
    expect(model.expectedPurchasesGivenAlive(frequent!.timeFromNow, 10, 38.86)).toBeCloseTo(1, 4);
  });

  it("rejects a non-positive horizon", () => {
    expect(() => expectedNextPurchase(constantRateModel(1, 1), 1, 1, 2, { maxHorizon: 0 })).toThrow(/maxHorizon/);
  });
});
