import { describe, expect, it } from "vitest";
import { parseSegmentId, parseSegmentPageQuery } from "./segment-page-query";

describe("segment page query", () => {
  it("defaults to products by times bought and the member list's defaults, ignoring Shopify's parameters", () => {
    const parsed = parseSegmentPageQuery(new URLSearchParams("shop=x.myshopify.com&host=abc&locale=da"));
    expect(parsed).toMatchObject({ ok: true, query: { productSort: "orders", members: { sort: "clv", direction: "desc", search: null } } });
  });

  it("names the bad parameter and why", () => {
    expect(parseSegmentPageQuery(new URLSearchParams("products=price"))).toMatchObject({
      ok: false,
      problem: { field: "products", reason: "not-one-of", allowed: ["orders", "revenue", "customers"], message: "expected one of orders, revenue, customers" },
    });
    expect(parseSegmentPageQuery(new URLSearchParams("products=revenue&products=orders"))).toMatchObject({ ok: false, problem: { field: "products", reason: "repeated" } });
    expect(parseSegmentPageQuery(new URLSearchParams("sort=name"))).toMatchObject({ ok: false, problem: { field: "sort", reason: "not-one-of" } });
  });

  it("takes only positive integer ids that fit the database", () => {
    expect(parseSegmentId("42")).toBe(42);
    for (const bad of [undefined, "", "0", "-1", "1.5", "1e3", "abc", "99999999999"]) expect(parseSegmentId(bad)).toBeNull();
  });
});
