import { describe, expect, it } from "vitest";
import { parseStoredRule, RULES_VERSION, serializeRule, validateRule, type RuleGroup } from "./rule-tree";

const rule = (...children: unknown[]) => ({ type: "group", match: "all", children });

describe("validateRule(input)", () => {
  it("accepts a nested rule over profile, customer and purchase fields", () => {
    const input = rule(
      { type: "condition", field: "lifecycleStage", operator: "in", value: ["slipping-away", "lost"] },
      { type: "group", match: "any", children: [
        { type: "condition", field: "totalSpent", operator: "gte", value: 250 },
        { type: "condition", field: "product", operator: "never-bought", value: ["gid://shopify/Product/1"], withinDays: 90 },
      ] },
      { type: "condition", field: "tags", operator: "has-not", value: "wholesale" },
    );
    expect(validateRule(input)).toEqual({ ok: true, rule: input });
  });

  it("reports each bad condition with its path and a translation key", () => {
    const result = validateRule(
      rule(
        { type: "condition", field: "lifecycleStage", operator: "in", value: ["sleeping"] },
        { type: "group", match: "any", children: [{ type: "condition", field: "recencyScore", operator: "gt", value: 9 }] },
        { type: "condition", field: "orderCount", operator: "in", value: ["3"] },
        { type: "condition", field: "tags", operator: "has", value: "a,b" },
        { type: "condition", field: "lastOrderAt", operator: "before", value: "2026-02-30" },
        { type: "condition", field: "city", operator: "in", value: ["Utrecht"], withinDays: 30 },
        { type: "condition", field: "nope", operator: "eq", value: 1 },
        { type: "condition", field: "tags", operator: "has-not", value: " " },
        { type: "condition", field: "tags", operator: "has", value: "x".repeat(256) },
      ),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "children.0.value", key: "segmentRule.error.unknownValue" },
        { path: "children.1.children.0.value", key: "segmentRule.error.range" },
        { path: "children.2.operator", key: "segmentRule.error.operator" },
        { path: "children.3.value", key: "segmentRule.error.tagComma" },
        { path: "children.4.value", key: "segmentRule.error.date" },
        { path: "children.5.withinDays", key: "segmentRule.error.withinDays" },
        { path: "children.6.field", key: "segmentRule.error.unknownField" },
        { path: "children.7.value", key: "segmentRule.error.chooseTag" },
        { path: "children.8.value", key: "segmentRule.error.text" },
      ],
    });
  });

  it("limits the nesting depth and the number of conditions", () => {
    const deep = rule(rule(rule(rule(rule()))));
    expect(validateRule(deep)).toMatchObject({ ok: false, errors: [{ key: "segmentRule.error.depth" }] });
    const many = rule(...Array.from({ length: 51 }, () => ({ type: "condition", field: "orderCount", operator: "gt", value: 1 })));
    expect(validateRule(many)).toMatchObject({ ok: false, errors: [{ path: "", key: "segmentRule.error.tooManyConditions" }] });
  });

  it("rejects a root that is not a group, and unknown shapes, without throwing", () => {
    expect(validateRule({ type: "condition", field: "orderCount", operator: "gt", value: 1 })).toMatchObject({ ok: false });
    expect(validateRule("DROP TABLE")).toMatchObject({ ok: false, errors: [{ key: "segmentRule.error.shape" }] });
    expect(validateRule(rule({ type: "condition", field: "orderCount", operator: "gt", value: { $gt: 1 } }))).toMatchObject({ ok: false, errors: [{ path: "children.0", key: "segmentRule.error.shape" }] });
  });
});

describe("parseStoredRule(version, json)", () => {
  it("reads back what serializeRule wrote", () => {
    const stored: RuleGroup = { type: "group", match: "any", children: [{ type: "condition", field: "churnRisk", operator: "in", value: ["high"] }] };
    expect(parseStoredRule(RULES_VERSION, serializeRule(stored))).toEqual(stored);
  });
  it("ignores another version and broken JSON", () => {
    expect(parseStoredRule(RULES_VERSION + 1, serializeRule({ type: "group", match: "all", children: [] }))).toBeNull();
    expect(parseStoredRule(RULES_VERSION, "{")).toBeNull();
  });
});
