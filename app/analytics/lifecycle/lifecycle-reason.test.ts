import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeStore } from "../analyze-store";
import { isoDateFromDayIndex } from "../calendar/calendar-day";
import { testDataset, type TestOrder } from "../testing/test-dataset";

const AS_OF_DAY = 19_800; // 2024-03-19

describe("lifecycleReason: a stage and its reason never contradict each other", () => {
  it("holds for random histories and random settings (property)", () => {
    const history = fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(history, { minLength: 1, maxLength: 25 }),
        fc.record({ activeFactor: fc.double({ min: 1, max: 3, noNaN: true }), extra: fc.double({ min: 0.01, max: 3, noNaN: true }), newCustomerDays: fc.integer({ min: 1, max: 90 }) }),
        (customers, s) => {
          const orders: TestOrder[] = customers.flatMap((daysAgo, i) => daysAgo.map((d): TestOrder => [`c${i}`, isoDateFromDayIndex(AS_OF_DAY - d), 10]));
          const lifecycle = { activeFactor: s.activeFactor, lostFactor: s.activeFactor + s.extra, newCustomerDays: s.newCustomerDays };
          const analysis = analyzeStore(testDataset(orders), { asOf: isoDateFromDayIndex(AS_OF_DAY), lifecycle });
          for (const row of analysis.scores!.rows()) {
            const { reason, lifecycle: stage } = row;
            if (stage === "new") {
              expect(reason).toEqual({ kind: "new-customer", daysSinceFirstOrder: row.days_since_first_order, newCustomerDays: s.newCustomerDays });
              expect(row.days_since_first_order).toBeLessThan(s.newCustomerDays);
              continue;
            }
            expect(reason.kind).toBe("rhythm");
            if (reason.kind !== "rhythm") continue;
            const silence = row.days_since_last_order;
            // The reason states the row's own numbers, and the day counts it names decide the stage.
            expect([reason.daysSinceLastOrder, reason.usualGapDays]).toEqual([silence, Math.round(row.usual_gap_days)]);
            expect(Number.isInteger(silence)).toBe(true);
            expect(stage === "active").toBe(silence <= reason.slippingAfterDays);
            expect(stage === "lost").toBe(silence > reason.lostAfterDays);
            // The stage is the comparison of the silence with the usual gap the reason names.
            if (stage === "active") expect(silence).toBeLessThanOrEqual(lifecycle.activeFactor * row.usual_gap_days);
            if (stage === "slipping-away") {
              expect(silence).toBeGreaterThan(lifecycle.activeFactor * row.usual_gap_days);
              expect(silence).toBeLessThanOrEqual(lifecycle.lostFactor * row.usual_gap_days);
            }
            if (stage === "lost") expect(silence).toBeGreaterThan(lifecycle.lostFactor * row.usual_gap_days);
            // "later than usual" only after the usual gap has gone by, and always when a customer is slipping away or lost.
            expect(reason.daysPastRhythm > 0).toBe(Math.round(silence - row.usual_gap_days) > 0);
            if (stage !== "active") expect(reason.daysPastRhythm).toBeGreaterThan(0);
            expect(reason.rhythmOf).toBe(row.x > 0 ? "customer" : "shop");
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("names the example of the issue as active, not lost: usually every 42 days, last order 50 days ago", () => {
    // Orders 42 days apart, the last one 50 days before the as-of day.
    const orders: TestOrder[] = [134, 92, 50].map((d): TestOrder => ["a", isoDateFromDayIndex(AS_OF_DAY - d), 20]);
    const row = analyzeStore(testDataset(orders), { asOf: isoDateFromDayIndex(AS_OF_DAY) }).scores!.row(0);
    expect(row.lifecycle).toBe("active");
    expect(row.reason).toMatchObject({ kind: "rhythm", usualGapDays: 42, daysSinceLastOrder: 50, daysPastRhythm: 8 });
  });
});
