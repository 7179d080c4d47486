import { describe, expect, it } from "vitest";
import { assessModelReadiness } from "./model-readiness.ts";

describe("assessModelReadiness(input)", () => {
  it("is ok at the default thresholds (200 repeat customers, 90 days)", () => {
    expect(assessModelReadiness({ repeatCustomers: 200, historyDays: 90 })).toEqual({ ok: true });
  });

  it("says which threshold failed, with the numbers, repeat customers first", () => {
    const result = assessModelReadiness({ repeatCustomers: 120, historyDays: 60 });
    expect(result).toEqual({
      ok: false,
      reason: { kind: "too-few-repeat-customers", repeatCustomers: 120, required: 200 },
      reasons: [
        { kind: "too-few-repeat-customers", repeatCustomers: 120, required: 200 },
        { kind: "history-too-short", historyDays: 60, required: 90 },
      ],
    });
  });

  it("honours configured thresholds", () => {
    expect(assessModelReadiness({ repeatCustomers: 50, historyDays: 30, minRepeatCustomers: 40, minHistoryDays: 28 }).ok).toBe(true);
  });

  it("rejects negative or NaN inputs", () => {
    expect(() => assessModelReadiness({ repeatCustomers: -1, historyDays: 100 })).toThrow(/repeatCustomers/);
    expect(() => assessModelReadiness({ repeatCustomers: 300, historyDays: NaN })).toThrow(/historyDays/);
  });
});
