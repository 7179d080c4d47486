import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "./lossless-json";
import { fromMicros, toMicros } from "./money";
import { customerRowFromPayload, orderFromPayload } from "./from-webhook";
import { RecordFormatError } from "./record-rows";

// Shopify writes numeric ids as bare JSON numbers; these exceed 2^53.
const ORDER_BODY = `{
  "id": 7000000000000000123,
  "admin_graphql_api_id": "gid://shopify/Order/7000000000000000123",
  "name": "#1123",
  "created_at": "2026-02-01T10:00:00+01:00",
  "updated_at": "2026-02-02T10:00:00+01:00",
  "processed_at": "2026-02-01T10:00:00+01:00",
  "cancelled_at": null,
  "currency": "EUR",
  "current_subtotal_price": "27.40",
  "current_total_price_set": { "shop_money": { "amount": "29.90", "currency_code": "EUR" } },
  "test": false,
  "source_name": "web",
  "customer": { "id": 8000000000000000007, "admin_graphql_api_id": "gid://shopify/Customer/8000000000000000007" },
  "line_items": [
    { "id": 5000000000000000001, "admin_graphql_api_id": "gid://shopify/LineItem/5000000000000000001", "product_id": 9000000000000000042,
      "title": "Mug", "vendor": "Acme", "quantity": 3, "price": "9.99", "total_discount": "3.00" }
  ],
  "refunds": [
    { "transactions": [ { "kind": "refund", "status": "success", "amount": "5.10" }, { "kind": "refund", "status": "failure", "amount": "99.00" } ] }
  ]
}`;

describe("parseJsonLossless", () => {
  it("keeps integers beyond 2^53 exact (JSON.parse rounds them)", () => {
    expect(JSON.parse('{"id":7000000000000000123}').id).toBe(7000000000000000000);
    expect(parseJsonLossless('{"id":7000000000000000123,"n":12,"x":1.5}')).toEqual({ id: "7000000000000000123", n: 12, x: 1.5 });
  });
});

describe("money", () => {
  it("adds and subtracts decimal strings exactly", () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004
    expect(fromMicros(toMicros("0.1") + toMicros("0.2"))).toBe("0.30");
    expect(fromMicros(toMicros("9.99") * 3n - toMicros("3.00"))).toBe("26.97");
    expect(fromMicros(-toMicros("1.005"))).toBe("-1.005");
    expect(() => toMicros("1,50")).toThrow(RangeError);
  });
});

describe("orderFromPayload", () => {
  it("reads ids from admin_graphql_api_id, product ids exactly, money exactly", () => {
    const { order, lines, linesComplete } = orderFromPayload(parseJsonLossless(ORDER_BODY) as Record<string, unknown>);
    expect(order.shopifyId).toBe("gid://shopify/Order/7000000000000000123");
    expect(order.customerShopifyId).toBe("gid://shopify/Customer/8000000000000000007");
    expect(order.totalPrice).toBe("29.90");
    expect(order.totalRefunded).toBe("5.10"); // only the successful refund transaction
    expect(order.shopifyUpdatedAt.toISOString()).toBe("2026-02-02T09:00:00.000Z");
    expect(linesComplete).toBe(true);
    expect(lines).toEqual([
      {
        shopifyId: "gid://shopify/LineItem/5000000000000000001",
        orderShopifyId: "gid://shopify/Order/7000000000000000123",
        productShopifyId: "gid://shopify/Product/9000000000000000042",
        title: "Mug",
        productType: null,
        vendor: "Acme",
        quantity: 3,
        amount: "26.97", // 3 × 9.99 − 3.00
      },
    ]);
  });

  it("names the field of a malformed payload", () => {
    const payload = parseJsonLossless(ORDER_BODY) as Record<string, unknown>;
    const error = (() => {
      try {
        orderFromPayload({ ...payload, updated_at: "soon" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RecordFormatError);
    expect((error as RecordFormatError).field).toBe("updated_at");
  });

  it("refuses a product id that already lost precision (a number beyond 2^53)", () => {
    const payload = parseJsonLossless(ORDER_BODY) as Record<string, unknown>;
    const rounded = JSON.parse(ORDER_BODY).line_items;
    expect(() => orderFromPayload({ ...payload, line_items: rounded })).toThrow(/product_id/);
  });
});

describe("customerRowFromPayload", () => {
  it("leaves tags, order count and spend unset when the payload does not carry them (API ≥ 2025-01)", () => {
    const row = customerRowFromPayload(
      parseJsonLossless(
        '{"id":8000000000000000007,"admin_graphql_api_id":"gid://shopify/Customer/8000000000000000007","email":"a@b.c","first_name":"A","last_name":"B","updated_at":"2026-02-02T10:00:00+00:00","default_address":{"city":"Lyon","country_code":"FR","country_name":"France"}}',
      ) as Record<string, unknown>,
    );
    expect(row).toMatchObject({ shopifyId: "gid://shopify/Customer/8000000000000000007", email: "a@b.c", city: "Lyon", countryCode: "FR", tags: null, numberOfOrders: null, amountSpent: null });
  });
});
