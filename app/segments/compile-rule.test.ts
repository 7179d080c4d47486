import { describe, expect, it } from "vitest";
import { compileRuleQuery, countQuery, dateBounds } from "./compile-rule";
import type { RuleGroup } from "./rule-tree";

const MARK = "x'); DROP TABLE \"Customer\"; --";
const everyField: RuleGroup = {
  type: "group",
  match: "any",
  children: [
    { type: "condition", field: "city", operator: "in", value: [MARK] },
    { type: "condition", field: "acquisitionSource", operator: "not-in", value: [MARK] },
    { type: "condition", field: "tags", operator: "has", value: MARK },
    { type: "condition", field: "vendor", operator: "never-bought", value: [MARK], withinDays: 30 },
    { type: "group", match: "all", children: [{ type: "condition", field: "totalSpent", operator: "gte", value: 12.5 }] },
  ],
};

describe.each(["sqlite", "postgresql"] as const)("compileRuleQuery on %s", (dialect) => {
  const scope = { dialect, shop: "a.myshopify.com", snapshotId: 7, now: new Date("2026-07-20T15:00:00Z") };

  it("binds every value and the shop as parameters, never as SQL text", () => {
    const query = countQuery(everyField, scope);
    expect(query.sql).not.toContain("DROP");
    expect(query.sql).not.toContain("a.myshopify.com");
    expect(query.sql).not.toContain("12.5");
    expect(query.params.filter((p) => p === MARK)).toHaveLength(4);
    const placeholders = dialect === "sqlite" ? (query.sql.match(/\?/g) ?? []).length : new Set(query.sql.match(/\$\d+/g)).size;
    expect(placeholders).toBe(query.params.length);
  });

  it("always scopes to the shop and the generation", () => {
    const query = compileRuleQuery({ type: "group", match: "all", children: [] }, scope, `COUNT(*)`);
    expect(query.sql).toMatch(/p\."snapshotId" = (\?|\$1) AND p\."shop" = (\?|\$2)/);
    expect(query.params.slice(0, 2)).toEqual([7, "a.myshopify.com"]);
  });
});

describe("the order PostgreSQL probes a rule's sets in", () => {
  const rule: RuleGroup = {
    type: "group",
    match: "all",
    children: [
      { type: "condition", field: "product", operator: "bought", value: ["gid://shopify/Product/1", "gid://shopify/Product/2"] },
      { type: "condition", field: "tags", operator: "has-not", value: "wholesale" },
      { type: "condition", field: "pAlive", operator: "lt", value: 0.9 },
    ],
  };
  const scope = { shop: "a.myshopify.com", snapshotId: 7, now: new Date("2026-07-20T15:00:00Z") };

  it("tests the profile's own columns before any set, whatever order the merchant wrote them in (PostgreSQL)", () => {
    const { sql } = countQuery(rule, { ...scope, dialect: "postgresql" });
    const column = sql.indexOf(`p."pAlive"`);
    expect(column).toBeGreaterThan(0);
    expect(column).toBeLessThan(sql.indexOf(`"OrderLine"`));
    expect(column).toBeLessThan(sql.indexOf(`"CustomerTag"`));
    expect(column).toBeLessThan(sql.indexOf(`d."deletedAt"`));
    // A "bought" set is a hashed filter, not a semi-join the planner may hash with every duplicate buyer.
    expect(sql).toMatch(/\(p\."customerId" IN \(SELECT l\."buyerId"[^]*\)\) IS TRUE/);
  });

  it("keeps the written order on SQLite, whose plan starts from a bought set's members", () => {
    const { sql } = countQuery(rule, { ...scope, dialect: "sqlite" });
    expect(sql.indexOf(`"OrderLine"`)).toBeLessThan(sql.indexOf(`p."pAlive"`));
    expect(sql).not.toContain("IS TRUE");
  });
});

describe("dateBounds(condition, now)", () => {
  const now = new Date("2026-07-20T15:00:00Z");
  it("reads 'before' and 'after' a day as whole days, and windows from the start of today (UTC)", () => {
    expect(dateBounds({ type: "condition", field: "lastOrderAt", operator: "before", value: "2026-07-01" }, now)).toEqual({ from: null, until: new Date("2026-07-01T00:00:00Z") });
    expect(dateBounds({ type: "condition", field: "lastOrderAt", operator: "after", value: "2026-07-01" }, now)).toEqual({ from: new Date("2026-07-02T00:00:00Z"), until: null });
    expect(dateBounds({ type: "condition", field: "lastOrderAt", operator: "within-last-days", value: 7 }, now)).toEqual({ from: new Date("2026-07-13T00:00:00Z"), until: null });
    expect(dateBounds({ type: "condition", field: "nextOrderAt", operator: "within-next-days", value: 7 }, now)).toEqual({ from: new Date("2026-07-20T00:00:00Z"), until: new Date("2026-07-28T00:00:00Z") });
  });
});
