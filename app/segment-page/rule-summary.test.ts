import { describe, expect, it } from "vitest";
import { ruleSummary } from "./rule-summary";

describe("rule summary", () => {
  it("reads nested all/any groups of conditions", () => {
    const rule = { all: [{ field: "lifecycleStage", operator: "eq", value: "lost" }, { any: [{ field: "orderCount", operator: "gte", value: 2 }, { field: "spendTier", operator: "in", value: ["high", "mid"] }] }] };
    expect(ruleSummary(JSON.stringify(rule))).toBe("lifecycleStage eq lost and (orderCount gte 2 or spendTier in high, mid)");
  });

  it("reads a group written as a combinator with its conditions, and a condition without a value", () => {
    const rule = { version: 1, root: { kind: "any", conditions: [{ field: "tags", operator: "isEmpty" }, { field: "daysSinceLastOrder", operator: "lt", value: { amount: 30, unit: "days" } }] } };
    expect(ruleSummary(JSON.stringify(rule))).toBe("tags isEmpty or daysSinceLastOrder lt 30 days");
  });

  it("gives null for an empty or unreadable rule instead of a wrong sentence", () => {
    expect(ruleSummary("{}")).toBeNull();
    expect(ruleSummary("not json")).toBeNull();
    expect(ruleSummary(JSON.stringify({ all: [{ field: "x", operator: "eq", value: 1 }, { mystery: true }] }))).toBeNull();
  });

  it("words fields, comparisons, values and joins in the admin's language where it has the words", () => {
    const rule = { all: [{ field: "lifecycleStage", operator: "in", value: ["lost"] }, { field: "mystery", operator: "eq", value: 1 }] };
    const nl: Record<string, string> = { "segmentRule.field.lifecycleStage": "Levenscyclusfase", "segmentRule.operator.in": "is een van", "lifecycle.lost": "Verloren", "segmentPage.rule.and": "en" };
    expect(ruleSummary(JSON.stringify(rule), (key) => nl[key] ?? null)).toBe("Levenscyclusfase is een van Verloren en mystery eq 1");
  });

  it("names the products a condition stores by id with their titles; an id without a title stays as stored, and other fields' values are not looked up", () => {
    const rule = {
      all: [
        { field: "product", operator: "bought", value: ["gid://shopify/Product/1", "gid://shopify/Product/9"] },
        { field: "product", operator: "never-bought", value: ["gid://shopify/Product/2"] },
        { field: "vendor", operator: "bought", value: ["gid://shopify/Product/1"] },
      ],
    };
    const titles = { "gid://shopify/Product/1": "Green tea", "gid://shopify/Product/2": "Kettle" };
    expect(ruleSummary(JSON.stringify(rule), () => null, titles)).toBe(
      "product bought Green tea, gid://shopify/Product/9 and product never-bought Kettle and vendor bought gid://shopify/Product/1",
    );
    // A later summary without titles does not reuse the earlier ones.
    expect(ruleSummary(JSON.stringify(rule))).toBe(
      "product bought gid://shopify/Product/1, gid://shopify/Product/9 and product never-bought gid://shopify/Product/2 and vendor bought gid://shopify/Product/1",
    );
  });
});
