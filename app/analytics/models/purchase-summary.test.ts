import { describe, expect, it } from "vitest";
import { assertCustomerPurchaseSummary, isValidPurchaseSummary, preparePurchaseSummary } from "./purchase-summary";

// The invariants as lifetimes' `_check_inputs` states them, written out independently of the
// module: the quick check on plain numbers must accept exactly these summaries.
function validByDefinition(x: unknown, tx: unknown, T: unknown): boolean {
  const finiteNonNegative = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  if (!finiteNonNegative(x) || !finiteNonNegative(tx) || !finiteNonNegative(T)) return false;
  const [nx, ntx, nT] = [x, tx, T] as number[];
  if (!Number.isInteger(nx) || ntx > nT) return false;
  if (nx === 0 && ntx !== 0) return false;
  if (nx > 0 && ntx === 0) return false;
  return true;
}

const VALUES: unknown[] = [0, -0, 1, 2, 0.5, 1.5, 3, 1e300, -1, -0.5, NaN, Infinity, -Infinity, "1", null, undefined, 2 ** 53];

describe("purchase summary validation", () => {
  it("the quick check accepts exactly the valid (x, t_x, T), over every combination of edge values", () => {
    let valid = 0;
    for (const x of VALUES) {
      for (const tx of VALUES) {
        for (const T of VALUES) {
          const expected = validByDefinition(x, tx, T);
          expect(isValidPurchaseSummary(x, tx, T), `x=${String(x)} tx=${String(tx)} T=${String(T)}`).toBe(expected);
          const check = () => assertCustomerPurchaseSummary({ x, tx, T } as never, 0);
          if (expected) {
            valid++;
            expect(check).not.toThrow();
          } else expect(check).toThrow(/^row 0: /);
        }
      }
    }
    expect(valid).toBeGreaterThan(50);
  });

  it("a fit's rows are validated as they are prepared: the first bad row is named with its field", () => {
    const good = { x: 2, tx: 3, T: 5, count: 4 };
    expect(preparePurchaseSummary([good, { x: 0, tx: 0, T: 2, count: 1 }]).totalCount).toBe(5);
    expect(() => preparePurchaseSummary([good, { x: 1, tx: 6, T: 5, count: 1 }])).toThrow("row 1: tx must not exceed T (tx = 6, T = 5)");
    expect(() => preparePurchaseSummary([good, good, { x: 1, tx: 0, T: 5, count: 1 }])).toThrow("row 2: tx must be > 0 when x > 0");
    expect(() => preparePurchaseSummary([{ x: 1, tx: 1, T: 5, count: 0 }])).toThrow("row 0: count must be positive");
    expect(() => preparePurchaseSummary([{ x: 1, tx: 1, T: 5 } as never])).toThrow("row 0: count must be a finite number (got undefined)");
    expect(() => preparePurchaseSummary([{ x: 1, tx: 1, T: Infinity, count: 1 }])).toThrow("row 0: T must be a finite number (got Infinity)");
    expect(() => preparePurchaseSummary([])).toThrow("rows: is empty: nothing to fit");
  });

  it("a single summary's count is optional, but when given it must be a finite number ≥ 0", () => {
    expect(() => assertCustomerPurchaseSummary({ x: 1, tx: 1, T: 2 }, null)).not.toThrow();
    expect(() => assertCustomerPurchaseSummary({ x: 1, tx: 1, T: 2, count: 0 } as never, null)).not.toThrow();
    expect(() => assertCustomerPurchaseSummary({ x: 1, tx: 1, T: 2, count: -1 } as never, 3)).toThrow("row 3: count must not be negative");
    expect(() => assertCustomerPurchaseSummary({ x: 1, tx: 1, T: 2, count: NaN } as never, 3)).toThrow("row 3: count must be a finite number");
  });
});
