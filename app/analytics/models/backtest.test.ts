import { describe, expect, it } from "vitest";
import { createSeededRng } from "../math/seeded-rng.ts";
import { backtestModel, chooseDefaultChurnModel, type BacktestCustomer } from "./backtest.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";
import { simulateBgNbdPurchaseTimes, summariseAt } from "./simulate-bg-nbd.ts";
import { loadCdnowPurchaseEvents } from "./testing/cdnow-fixture.ts";

/** MBG/NBD histories: calibration ages 20–52 weeks, then a 26-week hold-out. */
function simulateMbgCustomers(seed: number, n: number, holdout: number): BacktestCustomer[] {
  const rng = createSeededRng(seed);
  const ages = Array.from({ length: n }, () => 20 + 32 * rng());
  const times = simulateBgNbdPurchaseTimes(
    { r: 1, alpha: 8, a: 2, b: 2 },
    { observationLengths: ages.map((T) => T + holdout), rng, dropOutAfterFirst: true },
  );
  return times.map((ts, i) => ({
    ...summariseAt(ts, ages[i]),
    holdoutPurchases: ts.filter((t) => t > ages[i] && t <= ages[i] + holdout).length,
  }));
}

describe("backtestModel(model, customers, holdoutLength)", () => {
  const customers = simulateMbgCustomers(5, 3000, 26);
  const result = backtestModel("mbg-nbd", customers, 26);

  it("predicts the hold-out total within 5 % when the model generated the data", () => {
    expect(Math.abs(result.relativeErrorOfTotal)).toBeLessThan(0.05);
  });

  it("is calibrated in P(alive) when the model generated the data: predicted ≈ observed share buying in every tenth", () => {
    const groups = result.aliveCalibration;
    expect(groups.length).toBeGreaterThanOrEqual(5);
    expect(groups.reduce((s, g) => s + g.customers, 0)).toBe(3000);
    for (let i = 1; i < groups.length; i++) expect(groups[i].fromProbabilityAlive).toBeGreaterThanOrEqual(groups[i - 1].toProbabilityAlive);
    for (const g of groups) {
      // Binomial noise of a share on ~300 customers: sd ≤ 0.03; allow ~3 sd.
      expect(Math.abs(g.predictedShareBuying - g.observedShareBuying)).toBeLessThan(0.1);
      // An alive customer need not buy within the hold-out.
      expect(g.predictedShareBuying).toBeLessThanOrEqual(g.meanProbabilityAlive + 1e-12);
    }
    // The ranking separates: the top tenth buys far more often than the bottom one.
    expect(groups.at(-1)!.observedShareBuying - groups[0].observedShareBuying).toBeGreaterThan(0.3);
    expect(result.rootMeanSquaredError).toBeGreaterThanOrEqual(result.meanAbsoluteError);
  });

  it.each(["mbg-nbd", "pareto-nbd"] as const)("%s: gives the same result from calibration rows (P(alive) in one likelihood pass)", (model) => {
    const rows: { x: number; tx: number; T: number; count: number }[] = [];
    const indexOf = new Map<string, number>();
    const withRows = customers.map((c) => {
      const key = `${c.x}|${c.tx}|${c.T}`;
      let row = indexOf.get(key);
      if (row === undefined) {
        row = rows.length;
        indexOf.set(key, row);
        rows.push({ x: c.x, tx: c.tx, T: c.T, count: 0 });
      }
      rows[row].count++;
      return { ...c, row };
    });
    const plain = backtestModel(model, customers, 26);
    const fast = backtestModel(model, withRows, 26, {}, rows);
    expect(fast.predictedTotal).toBeCloseTo(plain.predictedTotal, 6);
    expect(fast.meanAbsoluteError).toBeCloseTo(plain.meanAbsoluteError, 9);
    fast.aliveCalibration.forEach((g, i) => expect(g.meanProbabilityAlive).toBeCloseTo(plain.aliveCalibration[i].meanProbabilityAlive, 9));
  });

  it("gives the same back-test for customers grouped into rows with counts", () => {
    // Round the histories up to whole weeks so that many customers share a row, then group.
    const rounded = customers.map((c) => ({ x: c.x, tx: Math.ceil(c.tx), T: Math.ceil(c.T), holdoutPurchases: c.holdoutPurchases }));
    const groups = new Map<string, BacktestCustomer & { count: number }>();
    for (const c of rounded) {
      const key = `${c.x}|${c.tx}|${c.T}|${c.holdoutPurchases}`;
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { ...c, count: 1 });
    }
    expect(groups.size).toBeLessThan(rounded.length / 2);
    const one = backtestModel("mbg-nbd", rounded, 26);
    const grouped = backtestModel("mbg-nbd", [...groups.values()], 26);
    expect(grouped.customers).toBe(3000);
    expect(grouped.actualTotal).toBe(one.actualTotal);
    expect(grouped.predictedTotal).toBeCloseTo(one.predictedTotal, 6);
    expect(grouped.meanAbsoluteError).toBeCloseTo(one.meanAbsoluteError, 8);
    expect(grouped.buckets.map((b) => b.customers)).toEqual(one.buckets.map((b) => b.customers));
  });

  it("splits customers and purchases into buckets 0…6, 7+ that add up to the totals", () => {
    expect(result.buckets.map((b) => b.frequency)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
    expect(result.buckets.reduce((s, b) => s + b.customers, 0)).toBe(3000);
    const actual = customers.reduce((s, c) => s + c.holdoutPurchases, 0);
    expect(result.actualTotal).toBe(actual);
    expect(result.buckets.reduce((s, b) => s + b.actualTotal, 0)).toBe(actual);
    expect(result.buckets.reduce((s, b) => s + b.predictedTotal, 0)).toBeCloseTo(result.predictedTotal, 8);
    const sevenPlus = customers.filter((c) => c.x >= 7).length;
    expect(result.buckets[7].customers).toBe(sevenPlus);
  });

  it("rejects invalid rows with field and index", () => {
    expect(() => backtestModel("bg-nbd", [{ x: 1, tx: 2, T: 3, holdoutPurchases: -1 }], 10)).toThrow(
      "row 0: holdoutPurchases must be an integer ≥ 0",
    );
    expect(() => backtestModel("bg-nbd", customers, 0)).toThrow(InvalidModelInputError);
    expect(() => backtestModel("bg-nbd", [], 10)).toThrow(/empty/);
  });
});

describe("backtestModel on CDNOW: 39-week calibration, 39-week hold-out", () => {
  // FHL (2005) fig. 4 setting: calibration to 1997-09-30, hold-out to 1998-06-30.
  const calibrationEnd = Date.UTC(1997, 8, 30) / 86_400_000;
  const holdoutEnd = Date.UTC(1998, 5, 30) / 86_400_000;
  const customers = loadCdnowPurchaseEvents(19980630).map((c) => {
    const first = c.days[0];
    const calibration = c.days.filter((d) => d <= calibrationEnd);
    return {
      x: calibration.length - 1,
      tx: (calibration[calibration.length - 1] - first) / 7,
      T: (calibrationEnd - first) / 7,
      holdoutPurchases: c.days.filter((d) => d > calibrationEnd && d <= holdoutEnd).length,
    };
  });

  it("BG/NBD predicts the hold-out total within 15 % and the zero-repeat bucket within 0.02 per customer", () => {
    // Tolerances are ours: no published hold-out total for this exact split is used as oracle.
    const result = backtestModel("bg-nbd", customers, (holdoutEnd - calibrationEnd) / 7);
    expect(customers.length).toBe(2357);
    expect(Math.abs(result.relativeErrorOfTotal)).toBeLessThan(0.15);
    const zero = result.buckets[0];
    expect(Math.abs(zero.predictedMean - zero.actualMean)).toBeLessThan(0.02);
  });
});

describe("chooseDefaultChurnModel(customers, holdoutLength)", () => {
  it("does not pick BG/NBD when one-time buyers really drop out (MBG/NBD data)", () => {
    const choice = chooseDefaultChurnModel(simulateMbgCustomers(6, 3000, 26), 26);
    expect(choice.model).not.toBe("bg-nbd");
    expect(choice.ranking.map((r) => r.model).sort()).toEqual(["bg-nbd", "mbg-nbd", "pareto-nbd"]);
    const bg = choice.ranking.find((r) => r.model === "bg-nbd")!;
    // BG/NBD keeps every one-time buyer alive, so it over-predicts the hold-out total.
    expect(bg.relativeErrorOfTotal).toBeGreaterThan(0.05);
    expect(choice.ranking[0].meanAbsoluteError).toBeLessThan(bg.meanAbsoluteError);
  });

  it("rejects an empty candidate list", () => {
    expect(() => chooseDefaultChurnModel([{ x: 0, tx: 0, T: 3, holdoutPurchases: 0 }], 5, [])).toThrow(/candidates/);
  });
});
