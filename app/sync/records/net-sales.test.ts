/**
 * Net sales of an order from both sources the sync reads — a GraphQL node (bulk import,
 * reconcile) and a REST webhook payload — on hand-computed orders. Every amount below is worked
 * out by hand from the order's line items, tax, shipping and refunds, not taken from the code.
 */
import { describe, expect, it } from "vitest";
import type { OrderNode } from "../../shopify/documents/record-selections";
import { orderRowFromNode } from "./from-graphql";
import { orderFromPayload } from "./from-webhook";
import { RecordFormatError } from "./record-rows";

interface HandOrder {
  name: string;
  taxesIncluded: boolean;
  currentSubtotal: string;
  currentTotalTax: string;
  currentTotal: string;
  totalRefunded: string;
  expectedNetSales: string;
}

const ORDERS: HandOrder[] = [
  {
    // US store, prices without tax: 2 × $45.00 shirts, 10 % discount on the order → subtotal 81.00;
    // 8 % sales tax = 6.48; shipping 5.99 → total 93.47. Net sales = the subtotal.
    name: "prices without tax, with a discount",
    taxesIncluded: false,
    currentSubtotal: "81.00",
    currentTotalTax: "6.48",
    currentTotal: "93.47",
    totalRefunded: "0.00",
    expectedNetSales: "81.00",
  },
  {
    // EU store, prices with 21 % VAT: 2 × €30.25 (= €25.00 + €5.25 VAT each) less a 10 % discount
    // → subtotal 54.45 with VAT 9.45 (= 54.45 − 54.45 / 1.21); shipping €4.95 → total 59.40.
    // Net sales = 54.45 − 9.45 = 45.00 (= 2 × 25.00 × 0.9).
    name: "prices with tax, with a discount",
    taxesIncluded: true,
    currentSubtotal: "54.45",
    currentTotalTax: "9.45",
    currentTotal: "59.40",
    totalRefunded: "0.00",
    expectedNetSales: "45.00",
  },
  {
    // EU store: 2 × €24.20 (€20.00 + €4.20 VAT), one returned and refunded (€24.20). Current
    // subtotal 24.20 with VAT 4.20; shipping €4.95 kept → current total 29.15. Net sales 20.00.
    name: "prices with tax, one of two items refunded",
    taxesIncluded: true,
    currentSubtotal: "24.20",
    currentTotalTax: "4.20",
    currentTotal: "29.15",
    totalRefunded: "24.20",
    expectedNetSales: "20.00",
  },
  {
    // US store: $120.00 of goods, $9.60 tax, free shipping; fully refunded ($129.60): everything current is 0.
    name: "prices without tax, fully refunded",
    taxesIncluded: false,
    currentSubtotal: "0.00",
    currentTotalTax: "0.00",
    currentTotal: "0.00",
    totalRefunded: "129.60",
    expectedNetSales: "0.00",
  },
];

/** The node of `o`; overrides may also be what the schema's types rule out (null), as a source that lacks the field would send. */
function graphqlNode(o: HandOrder, overrides: { [K in keyof OrderNode]?: OrderNode[K] | null } = {}): OrderNode {
  return {
    id: "gid://shopify/Order/1001",
    name: "#1001",
    createdAt: "2026-03-01T10:00:00Z",
    processedAt: "2026-03-01T10:00:00Z",
    updatedAt: "2026-03-02T10:00:00Z",
    cancelledAt: null,
    test: false,
    currencyCode: "EUR",
    customer: { id: "gid://shopify/Customer/7" },
    currentTotalPriceSet: { shopMoney: { amount: o.currentTotal, currencyCode: "EUR" } },
    totalRefundedSet: { shopMoney: { amount: o.totalRefunded } },
    currentSubtotalPriceSet: { shopMoney: { amount: o.currentSubtotal } },
    currentTotalTaxSet: { shopMoney: { amount: o.currentTotalTax } },
    taxesIncluded: o.taxesIncluded,
    sourceName: "web",
    channelInformation: null,
    customerJourneySummary: null,
    ...overrides,
  } as OrderNode;
}

function webhookPayload(o: HandOrder): Record<string, unknown> {
  const set = (amount: string) => ({ shop_money: { amount, currency_code: "EUR" }, presentment_money: { amount, currency_code: "EUR" } });
  return {
    admin_graphql_api_id: "gid://shopify/Order/1001",
    name: "#1001",
    created_at: "2026-03-01T11:00:00+01:00",
    updated_at: "2026-03-02T11:00:00+01:00",
    currency: "EUR",
    taxes_included: o.taxesIncluded,
    current_subtotal_price: o.currentSubtotal,
    current_subtotal_price_set: set(o.currentSubtotal),
    current_total_tax: o.currentTotalTax,
    current_total_tax_set: set(o.currentTotalTax),
    current_total_price_set: set(o.currentTotal),
    line_items: [],
    refunds: [],
  };
}

describe.each(ORDERS)("net sales of an order: $name", (o) => {
  it("from a GraphQL node (bulk import and reconcile)", () => {
    const row = orderRowFromNode(graphqlNode(o));
    expect(row.netSales).toBe(o.expectedNetSales);
    expect(row.subtotalPrice).toBe(o.currentSubtotal);
    expect(row.totalPrice).toBe(o.currentTotal);
  });

  it("from a webhook payload", () => {
    const { order } = orderFromPayload(webhookPayload(o));
    expect(order.netSales).toBe(o.expectedNetSales);
    expect(order.subtotalPrice).toBe(o.currentSubtotal);
  });
});

describe("net sales the source does not carry", () => {
  const withTax = ORDERS[1];

  it("is unknown (null, so the stored value is kept), never 0, when the subtotal or taxesIncluded is missing", () => {
    expect(orderRowFromNode(graphqlNode(withTax, { currentSubtotalPriceSet: undefined })).netSales).toBeNull();
    expect(orderRowFromNode(graphqlNode(withTax, { taxesIncluded: undefined })).netSales).toBeNull();
    const { taxes_included: _dropped, ...payload } = webhookPayload(withTax);
    expect(orderFromPayload(payload).order.netSales).toBeNull();
  });

  it("is unknown when prices include tax but the tax is missing; not needed when they exclude it", () => {
    expect(orderRowFromNode(graphqlNode(withTax, { currentTotalTaxSet: null })).netSales).toBeNull();
    expect(orderRowFromNode(graphqlNode(ORDERS[0], { currentTotalTaxSet: null })).netSales).toBe("81.00");
  });

  it("reads a webhook's shop money, not the presentment money of a foreign-currency checkout", () => {
    const payload = webhookPayload(withTax);
    // Checkout in USD: presentment amounts differ; the shop's own (EUR) amounts must be used.
    payload.current_subtotal_price_set = { shop_money: { amount: "54.45", currency_code: "EUR" }, presentment_money: { amount: "59.12", currency_code: "USD" } };
    payload.current_total_tax_set = { shop_money: { amount: "9.45", currency_code: "EUR" }, presentment_money: { amount: "10.26", currency_code: "USD" } };
    expect(orderFromPayload(payload).order.netSales).toBe("45.00");
  });

  it("names the field when taxesIncluded is not a boolean", () => {
    expect(() => orderFromPayload({ ...webhookPayload(withTax), taxes_included: "yes" })).toThrow(RecordFormatError);
    expect(() => orderFromPayload({ ...webhookPayload(withTax), taxes_included: "yes" })).toThrow(/taxes_included/);
  });
});

describe("net sales of the simulator's orders", () => {
  it.each([false, true])("from a webhook payload are the simulator's current line items without tax (taxesIncluded %s; the bulk import is checked in backfill-e2e)", async (taxesIncluded) => {
    const { generateStore } = await import("../../../tools/shopify-sim/store-generator");
    const { restOrder, stringifyWithRawNumbers } = await import("../../../tools/shopify-sim/rest-payloads");
    const { formatMoney, orderPrices } = await import("../../../tools/shopify-sim/store-model");
    const { parseJsonLossless } = await import("./lossless-json");
    const store = generateStore({ seed: 4, shopName: "net", targetOrders: 400, refundedOrderShare: 0.3, pricing: { taxesIncluded, taxRate: 0.21 } });
    for (let r = 0; r < store.orders.count; r++) {
      const payload = parseJsonLossless(stringifyWithRawNumbers(restOrder(store, r))) as Record<string, unknown>;
      expect(orderFromPayload(payload).order.netSales).toBe(formatMoney(orderPrices(store, r).current.itemsCents));
    }
  });
});
