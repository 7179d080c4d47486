import { describe, expect, it } from "vitest";
import { createSeededRng } from "../math/seeded-rng.ts";
import { bgNbdModel, fitBgNbd } from "./bg-nbd.ts";
import { countingModelStandardErrors } from "./counting-model.ts";
import { groupPurchaseSummaries } from "./purchase-summary.ts";
import { simulateBgNbdPurchaseTimes, summariseAt } from "./simulate-bg-nbd.ts";

const TRUTH = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 };

describe("fitBgNbd recovers simulated parameters", () => {
  // 4,000 customers with ages uniform in 26–52 weeks. Tolerance: each estimate within
  // 3 standard errors (observed information of the same fit) of the true value, and
  // within 20 % relative — the precision such a sample supports.
  for (const seed of [1, 3]) {
    it(`seed ${seed}: r, α, a, b within 3 SE and 20 %`, () => {
      const rng = createSeededRng(seed);
      const ages = Array.from({ length: 4000 }, () => 26 + 26 * rng());
      const times = simulateBgNbdPurchaseTimes(TRUTH, { observationLengths: ages, rng });
      const rows = groupPurchaseSummaries(times.map((ts, i) => summariseAt(ts, ages[i])));
      const fit = fitBgNbd(rows);
      const se = countingModelStandardErrors(bgNbdModel, rows, fit.params);
      expect(fit.converged).toBe(true);
      expect(se).not.toBeNull();
      for (const name of ["r", "alpha", "a", "b"] as const) {
        const error = Math.abs(fit.params[name] - TRUTH[name]);
        expect(error, `${name}: ${fit.params[name]} ± ${se![name]}`).toBeLessThan(3 * se![name]);
        expect(error / TRUTH[name], name).toBeLessThan(0.2);
      }
    });
  }
});

describe("simulateBgNbdPurchaseTimes(params, options)", () => {
  it("is deterministic for a seed and keeps purchases inside each observation window", () => {
    const a = simulateBgNbdPurchaseTimes(TRUTH, { observationLengths: [10, 20, 30], rng: createSeededRng(9) });
    const b = simulateBgNbdPurchaseTimes(TRUTH, { observationLengths: [10, 20, 30], rng: createSeededRng(9) });
    expect(a).toEqual(b);
    a.forEach((ts, i) => ts.forEach((t) => expect(t).toBeLessThanOrEqual([10, 20, 30][i])));
  });

  it("with dropOutAfterFirst produces more customers with no repeat purchase (MBG/NBD story)", () => {
    const ages = new Array<number>(3000).fill(52);
    const zeros = (times: number[][]): number => times.filter((t) => t.length === 0).length;
    const bg = simulateBgNbdPurchaseTimes({ r: 1, alpha: 4, a: 2, b: 2 }, { observationLengths: ages, rng: createSeededRng(4) });
    const mbg = simulateBgNbdPurchaseTimes({ r: 1, alpha: 4, a: 2, b: 2 }, { observationLengths: ages, rng: createSeededRng(4), dropOutAfterFirst: true });
    // E[p] = 0.5 here, so about half the MBG customers leave right after the first purchase.
    expect(zeros(mbg) - zeros(bg)).toBeGreaterThan(0.3 * 3000);
  });

  it("summariseAt(times, T) gives x, tx of the purchases up to T", () => {
    expect(summariseAt([1, 4, 9], 5)).toEqual({ x: 2, tx: 4, T: 5 });
    expect(summariseAt([], 5)).toEqual({ x: 0, tx: 0, T: 5 });
  });
});
