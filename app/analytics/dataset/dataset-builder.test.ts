import { describe, expect, it } from "vitest";
import { createDatasetBuilder, InvalidDatasetRowError } from "./dataset-builder";

const at = (iso: string) => Date.parse(iso);

describe("createDatasetBuilder()", () => {
  it("sorts orders by customer then time, puts guest orders last and keeps line items with their orders", () => {
    const b = createDatasetBuilder();
    b.add({ customerId: "b", at: at("2024-03-01T10:00:00Z"), revenue: 30, lineItems: [{ productId: "p2", quantity: 2 }] });
    b.add({ customerId: null, at: at("2024-01-05T10:00:00Z"), revenue: 7 });
    b.add({ customerId: "a", at: at("2024-02-01T10:00:00Z"), revenue: 20, lineItems: [{ productId: "p1", quantity: 1 }] });
    b.add({ customerId: "b", at: at("2024-01-01T10:00:00Z"), revenue: 10, lineItems: [{ productId: "p1", quantity: 3 }] });
    const d = b.build();
    expect(d.customerIds).toEqual(["b", "a"]);
    expect(Array.from(d.orderCustomer)).toEqual([0, 0, 1, -1]);
    expect(Array.from(d.orderRevenue)).toEqual([10, 30, 20, 7]);
    expect(Array.from(d.customerOrderStart)).toEqual([0, 2, 3]);
    expect(d.guestOrderStart).toBe(3);
    // Line items re-indexed to the sorted orders, in order.
    expect(Array.from(d.lineOrder)).toEqual([0, 1, 2]);
    expect(Array.from(d.lineProduct).map((p) => d.productIds[p])).toEqual(["p1", "p2", "p1"]);
    // items default to the sum of line quantities, or 1 without lines.
    expect(Array.from(d.orderItems)).toEqual([3, 2, 1, 1]);
  });

  it("shifts times by the shop's UTC offset before bucketing days (23:30 UTC is the next day in CET)", () => {
    const b = createDatasetBuilder({ utcOffsetMinutes: 60 });
    b.add({ customerId: "a", at: at("2024-01-01T23:30:00Z"), revenue: 1 });
    b.add({ customerId: "a", at: at("2024-01-01T23:30:00Z"), revenue: 1, utcOffsetMinutes: 0 });
    const d = b.build();
    // Same instant: the CET row falls on 2 January, the UTC row on 1 January (ties keep row order).
    expect(Array.from(d.orderDay)).toEqual([Date.UTC(2024, 0, 2) / 864e5, Date.UTC(2024, 0, 1) / 864e5]);
  });

  it("counts and excludes test and cancelled orders", () => {
    const b = createDatasetBuilder();
    b.add({ customerId: "a", at: 0, revenue: 5, test: true });
    b.add({ customerId: "a", at: 0, revenue: 5, cancelled: true });
    b.add({ customerId: "a", at: 0, revenue: 5 });
    const d = b.build();
    expect(d.orderCount).toBe(1);
    expect(d.excluded).toEqual({ test: 1, cancelled: 1 });
  });

  it("rejects a negative or non-numeric revenue naming the row and field", () => {
    const b = createDatasetBuilder();
    b.add({ customerId: "a", at: 0, revenue: 5 });
    expect(() => b.add({ customerId: "a", at: 0, revenue: -1 })).toThrow(InvalidDatasetRowError);
    expect(() => b.add({ customerId: "a", at: 0, revenue: -1 })).toThrow(/row 3: revenue/);
    expect(() => b.add({ customerId: "a", at: Number.NaN, revenue: 1 })).toThrow(/row 4: at/);
    expect(() => b.add({ customerId: " ", at: 0, revenue: 1 })).toThrow(/customerId/);
  });

  it("builds from line columns (a reader's page) exactly what it builds from line objects", () => {
    // Two catalog entries name product p1 (titles differ): the first title seen names it, in both paths.
    const catalog = [{ productId: "p1", title: "Mug" }, { productId: "p2", title: "Tea", productType: "Food" }, { productId: "p1", title: "Mug (old)" }];
    const page = { products: Int32Array.from([2, 0, 1, 1, 0]), quantities: Float64Array.from([1, 2, 3, 0, 5]), revenues: Float64Array.from([4, 6, 9, 0, 15]), catalog };
    const orders = [
      { row: { customerId: "a", at: at("2024-01-01T10:00:00Z"), revenue: 10 }, from: 0, to: 2 },
      { row: { customerId: "b", at: at("2024-01-02T10:00:00Z"), revenue: 9, test: true }, from: 2, to: 3 },
      { row: { customerId: "a", at: at("2024-01-03T10:00:00Z"), revenue: 15 }, from: 3, to: 5 },
      { row: { customerId: null, at: at("2024-01-04T10:00:00Z"), revenue: 7 }, from: 5, to: 5 },
    ];
    const fromColumns = createDatasetBuilder();
    for (const { row, from, to } of orders) fromColumns.addWithLines(row, page, from, to);
    const fromObjects = createDatasetBuilder();
    for (const { row, from, to } of orders) {
      const lineItems = [];
      for (let i = from; i < to; i++) lineItems.push({ ...catalog[page.products[i]], quantity: page.quantities[i], revenue: page.revenues[i] });
      fromObjects.add({ ...row, lineItems });
    }
    const d = fromColumns.build();
    expect(d).toEqual(fromObjects.build());
    expect(d.productIds).toEqual(["p1", "p2"]);
    expect(d.productTitles).toEqual(["Mug (old)", "Tea"]);
    expect(Array.from(d.orderItems)).toEqual([3, 5, 1]);
    expect(d.excluded.test).toBe(1);
  });

  it("rejects a bad line in columns naming the row and field", () => {
    const b = createDatasetBuilder();
    const page = { products: [0, 0], quantities: [1, -2], revenues: [1, 1], catalog: [{ productId: "p1" }] };
    b.addWithLines({ customerId: "a", at: 0, revenue: 1 }, page, 0, 1);
    expect(() => b.addWithLines({ customerId: "a", at: 0, revenue: 1 }, page, 1, 2)).toThrow(new InvalidDatasetRowError(2, "lineItems.quantity", "not a non-negative number (-2)"));
    expect(() => b.addWithLines({ customerId: "a", at: 0, revenue: 1 }, { ...page, quantities: [1, 1], catalog: [{ productId: " " }] }, 0, 1)).toThrow(/row 3: lineItems.productId: empty/);
  });

  it("builds an empty dataset from no rows", () => {
    const d = createDatasetBuilder().build();
    expect(d.orderCount).toBe(0);
    expect(d.customerCount).toBe(0);
    expect(Array.from(d.customerOrderStart)).toEqual([0]);
  });

  it("keeps customer attributes by customer, also for customers added before their orders", () => {
    const b = createDatasetBuilder();
    b.addCustomer({ customerId: "a", country: "NL", city: " Utrecht ", emailMarketingConsent: true, tags: ["x"] });
    b.add({ customerId: "a", at: 0, revenue: 1 });
    const d = b.build();
    expect(d.customerCountry[0]).toBe("NL");
    expect(d.customerCity[0]).toBe("Utrecht");
    expect(d.customerEmailConsent[0]).toBe(true);
    expect(d.customerTags[0]).toEqual(["x"]);
  });
});
