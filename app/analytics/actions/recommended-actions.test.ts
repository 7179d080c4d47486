import { describe, expect, it } from "vitest";
import { recommendedActions } from "./recommended-actions";

const base = { vipShare: 0.12, vipGroupShare: 0.1, churnRate: 0.04, previousChurnRate: 0.05, newCustomers: 10, previousNewCustomers: 12, retentionRate: 0.45, atRiskNow: 5, atRiskAtPeriodStart: 6 };

describe("recommendedActions(inputs)", () => {
  it("triggers nothing for a healthy shop", () => {
    expect(recommendedActions(base).filter((a) => a.triggered)).toEqual([]);
  });
  it("flags VIPs under their share of all customers among the customers not lost, with both shares", () => {
    const a = recommendedActions({ ...base, vipShare: 0.08 }).find((x) => x.id === "small-vip-segment")!;
    expect(a.triggered).toBe(true);
    expect(a.figures).toEqual({ vipShare: 0.08, vipGroupShare: 0.1 });
    expect(a.customerType).toBe("vip");
    // The line is the settings' VIP share, not a fixed 10 %.
    expect(recommendedActions({ ...base, vipShare: 0.08, vipGroupShare: 0.05 }).find((x) => x.id === "small-vip-segment")!.triggered).toBe(false);
    expect(recommendedActions({ ...base, vipShare: 0.18, vipGroupShare: 0.2 }).find((x) => x.id === "small-vip-segment")!.triggered).toBe(true);
  });
  it("flags rising churn, a leaky bucket and a growing at-risk group with the figures that trigger them", () => {
    const all = recommendedActions({ ...base, churnRate: 0.06, newCustomers: 20, retentionRate: 0.3, atRiskNow: 9 });
    expect(all.filter((a) => a.triggered).map((a) => a.id)).toEqual(["rising-churn", "leaky-bucket", "growing-at-risk"]);
    expect(all.find((a) => a.id === "leaky-bucket")!.figures).toEqual({ newCustomers: 20, previousNewCustomers: 12, retentionRate: 0.3 });
  });
  it("does not trigger on missing figures", () => {
    const none = recommendedActions({ vipShare: null, vipGroupShare: 0.1, churnRate: null, previousChurnRate: 0.1, newCustomers: 5, previousNewCustomers: null, retentionRate: null, atRiskNow: 3, atRiskAtPeriodStart: null });
    expect(none.some((a) => a.triggered)).toBe(false);
  });
});
