import { describe, expect, it } from "vitest";
import { compileSearch, parseSearchQuery, type SearchSchema } from "./search-query.ts";

interface Row { updated: number; email: string; tags: string[]; orders: number }
const rows: Row[] = [
  { updated: Date.parse("2024-01-01T00:00:00Z"), email: "ann@example.com", tags: ["VIP"], orders: 3 },
  { updated: Date.parse("2025-06-01T12:00:00Z"), email: "bob@example.com", tags: [], orders: 0 },
  { updated: Date.parse("2026-02-01T00:00:00Z"), email: "anna@shop.test", tags: ["seg:at-risk", "vip"], orders: 7 },
];
const schema: SearchSchema<number> = {
  defaultText: (r) => rows[r].email,
  fields: {
    updated_at: { kind: "date", get: (r) => rows[r].updated },
    email: { kind: "text", get: (r) => rows[r].email },
    tag: { kind: "tags", get: (r) => rows[r].tags },
    orders_count: { kind: "number", get: (r) => rows[r].orders },
  },
};
const hits = (query: string) => rows.map((_, i) => i).filter(compileSearch(query, schema).matches);

describe("parseSearchQuery(query)", () => {
  it("reads comparators, quotes, negation and OR groups", () => {
    expect(parseSearchQuery(`updated_at:>'2024-01-01T00:00:00Z' -tag:vip OR email:"a b"`)).toEqual({
      groups: [
        [
          { field: "updated_at", comparator: ">", value: "2024-01-01T00:00:00Z", negated: false },
          { field: "tag", comparator: "=", value: "vip", negated: true },
        ],
        [{ field: "email", comparator: "=", value: "a b", negated: false }],
      ],
    });
  });

  it("rejects an unterminated quote with its position", () => {
    expect(() => parseSearchQuery("email:'ann")).toThrow(/unterminated quote.*character 7/);
  });
});

describe("compileSearch(query, schema)", () => {
  it("filters by updated_at with strict and inclusive comparators and plain dates", () => {
    expect(hits("updated_at:>'2025-06-01T12:00:00Z'")).toEqual([2]);
    expect(hits("updated_at:>='2025-06-01T12:00:00Z'")).toEqual([1, 2]);
    expect(hits("updated_at:<2025-01-01")).toEqual([0]);
  });

  it("matches tags case-insensitively, e-mails exactly or by prefix*, and combines with AND/OR/NOT", () => {
    expect(hits("tag:VIP")).toEqual([0, 2]);
    expect(hits("email:ANN@example.com")).toEqual([0]);
    expect(hits("email:ann*")).toEqual([0, 2]);
    expect(hits("tag:vip AND orders_count:>5")).toEqual([2]);
    expect(hits("tag:vip NOT orders_count:>5")).toEqual([0]);
    expect(hits("orders_count:0 OR tag:seg:at-risk")).toEqual([1, 2]);
    expect(hits("bob")).toEqual([1]);
  });

  it("ignores unknown fields (reporting them) instead of matching nothing, as Shopify does", () => {
    const compiled = compileSearch("colour:red tag:vip", schema);
    expect(compiled.ignoredFields).toEqual(["colour"]);
    expect(rows.map((_, i) => i).filter(compiled.matches)).toEqual([0, 2]);
  });

  it("rejects an invalid date or number naming the value", () => {
    expect(() => compileSearch("updated_at:>yesterday", schema)).toThrow(/invalid date "yesterday"/);
    expect(() => compileSearch("orders_count:>many", schema)).toThrow(/invalid number "many" for orders_count/);
  });
});
