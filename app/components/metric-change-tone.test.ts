import { describe, expect, it } from "vitest";
import { metricChangeTone } from "./metric-change-tone";

describe("metricChangeTone(key, change)", () => {
  it("calls more customers, LTV and retention good news and less bad news", () => {
    expect(metricChangeTone("total-customers", 0.2)).toBe("success");
    expect(metricChangeTone("ltv", -0.05)).toBe("critical");
    expect(metricChangeTone("retention-rate", 0.01)).toBe("success");
  });

  it("calls rising churn bad news and falling churn good news", () => {
    expect(metricChangeTone("churn-rate-monthly", 0.25)).toBe("critical");
    expect(metricChangeTone("churn-rate-monthly", -0.1)).toBe("success");
  });

  it("takes no side on the guest-order share, and none without a comparison", () => {
    expect(metricChangeTone("guest-order-share", 0.3)).toBe("info");
    expect(metricChangeTone("aov", null)).toBeUndefined();
    expect(metricChangeTone("aov", 0)).toBeUndefined();
  });

  it("is neutral for a change that shows as 0.0, whichever its sign", () => {
    expect(metricChangeTone("retention-rate", 0.0004)).toBeUndefined();
    expect(metricChangeTone("churn-rate-monthly", -0.0004)).toBeUndefined();
    expect(metricChangeTone("retention-rate", 0.001)).toBe("success");
  });
});
