import { describe, expect, it } from "vitest";
import { bindCountingModel, type CountingModelName } from "../models/index.ts";
import { exactSummaryWithin, summaryGrid, thinTuples } from "./summary-grid";

describe("summaryGrid(histories, unitDays, maxTuples, maxBinDays)", () => {
  const histories = {
    x: Int32Array.from([0, 0, 2, 2, 1, -1]),
    txDays: Int32Array.from([0, 0, 14, 14, 3, 0]),
    TDays: Int32Array.from([70, 70, 21, 21, 10, 0]),
  };

  it("groups identical (x, t_x, T) exactly, in the time unit, with counts", () => {
    const g = summaryGrid(histories, 7, 100, 28);
    expect(g.binDays).toBe(1);
    expect(g.rows).toEqual([
      { x: 0, tx: 0, T: 10, count: 2 },
      { x: 2, tx: 2, T: 3, count: 2 },
      { x: 1, tx: 3 / 7, T: 10 / 7, count: 1 },
    ]);
    expect(Array.from(g.ofCustomer)).toEqual([0, 0, 1, 1, 2, -1]);
  });

  it("moves to a coarser grid of bin midpoints when there are too many tuples, keeping t_x ≤ T and t_x > 0 for repeaters", () => {
    const g = summaryGrid({ x: Int32Array.from([1, 1, 1]), txDays: Int32Array.from([1, 2, 3]), TDays: Int32Array.from([3, 3, 3]) }, 1, 1, 4);
    expect(g.binDays).toBe(4);
    expect(g.rows).toEqual([{ x: 1, tx: 2, T: 2, count: 3 }]);
  });
});

describe("exactSummaryWithin(histories, unitDays, maxTuples)", () => {
  const histories = {
    x: Int32Array.from([0, 0, 2, 2, 1, -1]),
    txDays: Int32Array.from([0, 0, 14, 14, 3, 0]),
    TDays: Int32Array.from([70, 70, 21, 21, 10, 0]),
  };

  it("returns the exact tuples when there are at most maxTuples of them", () => {
    const g = exactSummaryWithin(histories, 7, 3);
    expect(g?.binDays).toBe(1);
    expect(g?.rows.map((r) => r.count)).toEqual([2, 2, 1]);
  });

  it("returns null as soon as there are more (3 distinct tuples, limit 2)", () => {
    expect(exactSummaryWithin(histories, 7, 2)).toBeNull();
  });

  it("groups thousands of customers like the definition: one tuple per distinct (x, t_x, T)", () => {
    let s = 7;
    const rand = (m: number) => (s = (s * 16807) % 2147483647) % m;
    const n = 5000;
    const x = new Int32Array(n);
    const txDays = new Int32Array(n);
    const TDays = new Int32Array(n);
    for (let c = 0; c < n; c++) {
      x[c] = rand(4);
      TDays[c] = 1 + rand(60);
      txDays[c] = x[c] === 0 ? 0 : 1 + rand(TDays[c]);
    }
    const g = exactSummaryWithin({ x, txDays, TDays }, 1, n)!;
    const distinct = new Set(Array.from(x, (v, c) => `${v}|${txDays[c]}|${TDays[c]}`));
    expect(g.rows).toHaveLength(distinct.size);
    for (let c = 0; c < n; c++) expect([g.rows[g.ofCustomer[c]].x, g.rows[g.ofCustomer[c]].tx, g.rows[g.ofCustomer[c]].T]).toEqual([x[c], txDays[c], TDays[c]]);
    expect(g.rows.reduce((sum, r) => sum + r.count, 0)).toBe(n);
  });
});

describe("thinTuples(rows, max, rng)", () => {
  it("keeps every row when under the limit and about max rows otherwise, deterministically", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ x: i, tx: 0, T: 1, count: 1 }));
    expect(thinTuples(rows.slice(0, 10), 20, () => 0.99)).toHaveLength(10);
    let s = 1;
    const rng = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    const kept = thinTuples(rows, 100, rng);
    expect(kept.length).toBeGreaterThan(60);
    expect(kept.length).toBeLessThan(140);
  });
});

describe("the factorisation storePredictions relies on", () => {
  // E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E[Y(t) | alive, x, T] for every counting model,
  // checked against the models' own conditional expectation at the published CDNOW parameters.
  const models: [CountingModelName, Record<string, number>][] = [
    ["bg-nbd", { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }],
    ["mbg-nbd", { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }],
    ["pareto-nbd", { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }],
  ];
  for (const [name, params] of models) {
    it(`holds for ${name}`, () => {
      const m = bindCountingModel(name, params as never);
      for (const [x, tx, T] of [[0, 0, 38.86], [2, 30.43, 38.86], [7, 35, 38], [1, 1.71, 38.86], [0, 0, 5]]) {
        for (const t of [1, 13, 39, 52]) {
          expect(m.probabilityAlive(x, tx, T) * m.expectedPurchasesGivenAlive(t, x, T)).toBeCloseTo(m.conditionalExpectedPurchases(t, x, tx, T), 9);
        }
      }
    });
  }
});
