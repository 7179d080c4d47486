import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { paginate, type SortedRows } from "./connection-pager.ts";
import { numericId } from "./resource-ids.ts";
import { encodeCursor } from "./connection-pager.ts";

/** Sorted view over `values` (ties broken by row), built by brute force. */
function sortedOf(values: number[]): SortedRows {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  return { length: values.length, rowAt: (p) => order[p], sortValue: (r) => values[r] };
}

function cursorOf(sorted: SortedRows, row: number) {
  return encodeCursor(numericId("Order", row), row, sorted.sortValue(row));
}

describe("paginate(sorted, args, matches)", () => {
  it("visits every matching row exactly once, in order, forwards and backwards, with or without reverse", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 120 }), // many ties
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (values, pageSize, modulus, reverse) => {
          const sorted = sortedOf(values);
          const matches = (row: number) => row % modulus === 0;
          const expected = Array.from({ length: sorted.length }, (_, p) => sorted.rowAt(p)).filter(matches);
          if (reverse) expected.reverse();

          const forward: number[] = [];
          let after: string | null = null;
          for (let guard = 0; guard < 500; guard++) {
            const page = paginate(sorted, { first: pageSize, after, reverse }, matches);
            forward.push(...page.rows);
            if (!page.hasNextPage()) break;
            expect(page.rows.length).toBe(pageSize);
            after = cursorOf(sorted, page.rows[page.rows.length - 1]);
          }
          expect(forward).toEqual(expected);

          const backward: number[] = [];
          let before: string | null = null;
          for (let guard = 0; guard < 500; guard++) {
            const page = paginate(sorted, { last: pageSize, before, reverse }, matches);
            backward.unshift(...page.rows);
            if (!page.hasPreviousPage()) break;
            before = cursorOf(sorted, page.rows[0]);
          }
          expect(backward).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports hasPreviousPage after a cursor and hasNextPage before the end", () => {
    const sorted = sortedOf([5, 1, 4, 2, 3]);
    const first = paginate(sorted, { first: 2 }, () => true);
    expect(first.rows).toEqual([1, 3]);
    expect(first.hasPreviousPage()).toBe(false);
    expect(first.hasNextPage()).toBe(true);
    const second = paginate(sorted, { first: 5, after: cursorOf(sorted, 3) }, () => true);
    expect(second.rows).toEqual([4, 2, 0]);
    expect(second.hasPreviousPage()).toBe(true);
    expect(second.hasNextPage()).toBe(false);
  });

  it("keeps a cursor valid when rows before it change", () => {
    const values = [10, 20, 30, 40];
    const before = sortedOf(values);
    const cursor = cursorOf(before, 1); // after value 20
    values[0] = 50; // row 0 moves behind the cursor
    const after = sortedOf(values);
    expect(paginate(after, { first: 10, after: cursor }, () => true).rows).toEqual([2, 3, 0]);
  });

  it("rejects a malformed cursor and missing or oversize page arguments", () => {
    const sorted = sortedOf([1, 2, 3]);
    expect(() => paginate(sorted, { first: 1, after: "not-a-cursor" }, () => true)).toThrow(/Invalid cursor/);
    expect(() => paginate(sorted, {}, () => true)).toThrow(/first or last/);
    expect(() => paginate(sorted, { first: 1, last: 1 }, () => true)).toThrow(/first or last/);
    expect(() => paginate(sorted, { first: 251 }, () => true)).toThrow(/250/);
  });
});
