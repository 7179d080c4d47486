import { describe, expect, it } from "vitest";
import { handleError, handleFromName, parseSegmentForm, segmentTag } from "./segment-form";

const rules = JSON.stringify({ type: "group", match: "all", children: [{ type: "condition", field: "churnRisk", operator: "in", value: ["high"] }] });

describe("parseSegmentForm(form, tagPrefix)", () => {
  it("reads a valid form, deriving the handle from the name when none is given", () => {
    const result = parseSegmentForm({ name: "  Winback Q3 ", handle: "", rules, controlGroupPercent: "10", pushEnabled: "true" }, "ci-");
    expect(result).toEqual({
      ok: true,
      values: { name: "Winback Q3", handle: "winback-q3", description: null, controlGroupPercent: 10, pushEnabled: true, rule: JSON.parse(rules) },
    });
  });

  it("answers every bad field with its translation key and the rule's errors with their paths", () => {
    const badRule = JSON.stringify({ type: "group", match: "all", children: [{ type: "condition", field: "orderCount", operator: "gt", value: "many" }] });
    const result = parseSegmentForm({ name: "", handle: "Has Spaces", rules: badRule, controlGroupPercent: "80" }, "ci-");
    expect(result).toEqual({
      ok: false,
      errors: {
        fields: { name: "segments.error.nameRequired", handle: "segments.error.handleFormat", controlGroupPercent: "segments.error.controlGroup", rules: "segments.error.rules" },
        rule: [{ path: "children.0.value", key: "segmentRule.error.number" }],
      },
    });
  });

  it("rejects rules that are not JSON without throwing", () => {
    expect(parseSegmentForm({ name: "x", rules: "{nope" }, "ci-")).toMatchObject({ ok: false, errors: { fields: { rules: "segments.error.rules" } } });
  });
});

describe("handles and tags", () => {
  it("makes ASCII handles from any name", () => {
    expect(handleFromName("Kunder i København — VIP!")).toBe("kunder-i-kobenhavn-vip");
    expect(handleFromName("???")).toBe("segment");
  });
  it("keeps prefix + handle within Shopify's 255 characters", () => {
    expect(handleError("a".repeat(252), "ci-")).toBeNull();
    expect(handleError("a".repeat(253), "ci-")).toBe("segments.error.handleTooLong");
    expect(handleError("-lead", "ci-")).toBe("segments.error.handleFormat");
    expect(handleError("a,b", "ci-")).toBe("segments.error.handleFormat");
  });
  it("builds the tag lower-case", () => {
    expect(segmentTag("CI-", "vip")).toBe("ci-vip");
  });
});
