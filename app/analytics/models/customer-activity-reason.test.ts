import { describe, expect, it } from "vitest";
import { customerActivityReason } from "./customer-activity-reason.ts";

describe("customerActivityReason(input)", () => {
  it("reports an overdue customer: 3 gaps over 96 days → every 32 days, last order 71 days ago", () => {
    expect(customerActivityReason({ x: 3, txDays: 96, TDays: 167 })).toEqual({ kind: "overdue", typicalGapDays: 32, daysSinceLast: 71 });
  });

  it("reports on-schedule within 1.5 × the typical gap", () => {
    expect(customerActivityReason({ x: 3, txDays: 96, TDays: 140 })).toEqual({ kind: "on-schedule", typicalGapDays: 32, daysSinceLast: 44 });
  });

  it("uses the overdue factor setting", () => {
    expect(customerActivityReason({ x: 3, txDays: 96, TDays: 140, overdueFactor: 1.2 }).kind).toBe("overdue");
  });

  it("reports one-time buyers by days since their only order", () => {
    expect(customerActivityReason({ x: 0, txDays: 0, TDays: 45.4 })).toEqual({ kind: "one-time-buyer", daysSinceFirst: 45 });
  });

  it("rejects inconsistent histories", () => {
    expect(() => customerActivityReason({ x: 2, txDays: 50, TDays: 40 })).toThrow("txDays: must not exceed TDays (txDays = 50, TDays = 40)");
  });
});
