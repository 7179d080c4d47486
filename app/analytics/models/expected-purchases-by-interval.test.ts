import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases } from "./bg-nbd.ts";
import { expectedPurchasesByInterval } from "./expected-purchases-by-interval.ts";
import { bindCountingModel } from "./fitted-counting-model.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";

// Fader, Hardie & Lee (2005) BG/NBD fit on the CDNOW sample, weeks (Hardie's note 004).
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const bg = bindCountingModel("bg-nbd", PUBLISHED);

describe("expectedPurchasesByInterval", () => {
  it("splits the published 1.226 purchases in 39 weeks (x = 2, tx = 30.43, T = 38.86) into 13 three-week intervals that add up to it", () => {
    const ends = Array.from({ length: 13 }, (_, k) => 3 * (k + 1));
    const byInterval = expectedPurchasesByInterval(bg, [{ x: 2, tx: 30.43, T: 38.86 }], ends);
    expect(byInterval).toHaveLength(13);
    expect(byInterval.reduce((s, v) => s + v, 0)).toBeCloseTo(1.226, 3);
    // A customer who may have left buys less in each later interval.
    for (let k = 1; k < 13; k++) expect(byInterval[k]).toBeLessThan(byInterval[k - 1]);
  });

  it("gives each interval the difference of the model's conditional expectations at its ends, weighted by the customers behind a row", () => {
    const rows = [
      { x: 0, tx: 0, T: 30, count: 10 },
      { x: 5, tx: 20, T: 35, count: 3 },
    ];
    const byInterval = expectedPurchasesByInterval(bg, rows, [1, 4, 10]);
    const conditional = (t: number) => 10 * bgNbdConditionalExpectedPurchases(PUBLISHED, t, 0, 0, 30) + 3 * bgNbdConditionalExpectedPurchases(PUBLISHED, t, 5, 20, 35);
    expect(byInterval[0]).toBeCloseTo(conditional(1), 10);
    expect(byInterval[1]).toBeCloseTo(conditional(4) - conditional(1), 10);
    expect(byInterval[2]).toBeCloseTo(conditional(10) - conditional(4), 10);
  });

  it("gives the same figures with P(alive) passed in as when it computes P(alive) itself, and refuses a P(alive) list of another length", () => {
    const rows = [
      { x: 1, tx: 5, T: 30, count: 4 },
      { x: 3, tx: 25, T: 32, count: 2 },
    ];
    const alive = rows.map((r) => bg.probabilityAlive(r.x, r.tx, r.T));
    expect(expectedPurchasesByInterval(bg, rows, [2, 5], alive)).toEqual(expectedPurchasesByInterval(bg, rows, [2, 5]));
    expect(() => expectedPurchasesByInterval(bg, rows, [2, 5], [0.5])).toThrow(/aliveOfRow/);
  });

  it("predicts nothing for no customers", () => {
    expect(expectedPurchasesByInterval(bg, [], [1, 2])).toEqual([0, 0]);
  });

  it("refuses interval ends that are empty, not increasing or not positive", () => {
    expect(() => expectedPurchasesByInterval(bg, [], [])).toThrow(InvalidModelInputError);
    expect(() => expectedPurchasesByInterval(bg, [], [2, 2])).toThrow(/ends/);
    expect(() => expectedPurchasesByInterval(bg, [], [0, 1])).toThrow(/ends/);
  });
});
