/**
 * Rows from REST-shaped webhook payloads (API 2026-10). Ids come from `admin_graphql_api_id`;
 * where a payload only has a numeric id (line items' `product_id`, compliance payloads) the body
 * was parsed with parseJsonLossless, so the digits are exact and we build the gid from them.
 */
import { RecordFormatError, type CustomerRow, type OrderLineRow, type OrderWithLines } from "./record-rows";
import { netSalesOf } from "./net-sales";
import { optionalBoolean, optionalDate, optionalDecimal, optionalString, readTags, requireDate, requireDecimal, requireGid, requireInt, requireString } from "./record-fields";
import { fromMicros, toMicros } from "./money";

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);

/** The gid of a REST resource: admin_graphql_api_id, else built from the exact numeric id. */
export function gidOf(payload: Json, type: string, field = "id"): string {
  if (payload.admin_graphql_api_id != null) return requireGid(payload.admin_graphql_api_id, "admin_graphql_api_id", type);
  return numericToGid(payload[field], field, type);
}

export function numericToGid(value: unknown, field: string, type: string): string {
  const digits = typeof value === "number" ? (Number.isSafeInteger(value) ? String(value) : null) : value;
  if (typeof digits !== "string" || !/^\d+$/.test(digits)) throw new RecordFormatError(field, `expected a numeric ${type} id, got ${JSON.stringify(value)}`);
  return `gid://shopify/${type}/${digits}`;
}

export function customerRowFromPayload(payload: Json): CustomerRow {
  const address = obj(payload.default_address);
  const consent = obj(payload.email_marketing_consent);
  return {
    shopifyId: gidOf(payload, "Customer"),
    email: optionalString(payload.email, "email"),
    firstName: optionalString(payload.first_name, "first_name"),
    lastName: optionalString(payload.last_name, "last_name"),
    phone: optionalString(payload.phone, "phone"),
    emailMarketingState: consent ? optionalString(consent.state, "email_marketing_consent.state")?.toUpperCase() ?? null : null,
    countryCode: address ? optionalString(address.country_code, "default_address.country_code") : null,
    country: address ? optionalString(address.country_name ?? address.country, "default_address.country") : null,
    provinceCode: address ? optionalString(address.province_code, "default_address.province_code") : null,
    province: address ? optionalString(address.province, "default_address.province") : null,
    city: address ? optionalString(address.city, "default_address.city") : null,
    // Since 2025-01 customer payloads carry no tags (customer.tags_added/removed do): null keeps stored tags.
    tags: readTags(payload.tags, "tags"),
    numberOfOrders: payload.orders_count == null ? null : requireInt(payload.orders_count, "orders_count"),
    amountSpent: payload.total_spent == null ? null : requireDecimal(payload.total_spent, "total_spent"),
    shopifyRfmGroup: null,
    predictedSpendTier: null,
    shopifyCreatedAt: optionalDate(payload.created_at, "created_at"),
    shopifyUpdatedAt: requireDate(payload.updated_at, "updated_at"),
  };
}

export function orderFromPayload(payload: Json): OrderWithLines {
  const shopifyId = gidOf(payload, "Order");
  const currentTotal = obj(obj(payload.current_total_price_set)?.shop_money);
  const totalPrice = requireDecimal(currentTotal?.amount ?? payload.current_total_price, "current_total_price_set.shop_money.amount");
  const customer = obj(payload.customer);
  // Shop-currency amount of a REST `<name>_set`, else the unsuffixed field (also in shop currency).
  const shopMoney = (name: string) => obj(obj(payload[`${name}_set`])?.shop_money)?.amount ?? payload[name];
  const currentSubtotal = optionalDecimal(shopMoney("current_subtotal_price"), "current_subtotal_price_set.shop_money.amount");
  let refunded = 0n;
  const refunds = Array.isArray(payload.refunds) ? payload.refunds : [];
  refunds.forEach((refund, i) => {
    const transactions = Array.isArray(obj(refund)?.transactions) ? (obj(refund)!.transactions as unknown[]) : [];
    transactions.forEach((t, j) => {
      const tx = obj(t);
      if (tx && tx.kind === "refund" && (tx.status === undefined || tx.status === "success")) {
        refunded += toMicros(requireDecimal(tx.amount, `refunds[${i}].transactions[${j}].amount`));
      }
    });
  });
  const lineItems = Array.isArray(payload.line_items) ? payload.line_items : [];
  const lines: OrderLineRow[] = lineItems.map((raw, i) => {
    const line = obj(raw);
    if (!line) throw new RecordFormatError(`line_items[${i}]`, "expected an object");
    const quantity = requireInt(line.quantity, `line_items[${i}].quantity`);
    const unit = obj(obj(line.price_set)?.shop_money)?.amount ?? line.price;
    const gross = toMicros(requireDecimal(unit, `line_items[${i}].price`)) * BigInt(quantity);
    const discount = line.total_discount == null ? 0n : toMicros(requireDecimal(line.total_discount, `line_items[${i}].total_discount`));
    return {
      shopifyId: gidOf(line, "LineItem"),
      orderShopifyId: shopifyId,
      productShopifyId: line.product_id == null ? null : numericToGid(line.product_id, `line_items[${i}].product_id`, "Product"),
      title: requireString(line.title ?? line.name, `line_items[${i}].title`),
      productType: null,
      vendor: optionalString(line.vendor, `line_items[${i}].vendor`),
      quantity,
      amount: fromMicros(gross - discount),
    };
  });
  return {
    order: {
      shopifyId,
      name: optionalString(payload.name, "name"),
      customerShopifyId: customer ? gidOf(customer, "Customer") : null,
      currencyCode: optionalString(currentTotal?.currency_code ?? payload.currency, "currency"),
      totalPrice,
      subtotalPrice: currentSubtotal,
      totalRefunded: fromMicros(refunded),
      netSales: netSalesOf({
        currentSubtotal,
        currentTotalTax: optionalDecimal(shopMoney("current_total_tax"), "current_total_tax_set.shop_money.amount"),
        taxesIncluded: optionalBoolean(payload.taxes_included, "taxes_included"),
      }),
      test: payload.test === true,
      sourceName: optionalString(payload.source_name, "source_name"),
      // Not in REST payloads: left as stored (the bulk import or reconcile fills them).
      channel: null,
      firstVisitSource: null,
      utmSource: null,
      utmMedium: null,
      utmCampaign: null,
      shopifyCreatedAt: requireDate(payload.created_at, "created_at"),
      processedAt: optionalDate(payload.processed_at, "processed_at"),
      cancelledAt: optionalDate(payload.cancelled_at, "cancelled_at"),
      shopifyUpdatedAt: requireDate(payload.updated_at, "updated_at"),
    },
    lines,
    linesComplete: true,
  };
}

/** What one refunds/create payload takes off its order, in shop money (exact decimals). */
export interface RefundOfOrder {
  orderShopifyId: string;
  /** When the refund was made (`created_at`); null when the payload does not say. */
  refundedAt: Date | null;
  /** Successful refund transactions: money returned to the customer. */
  refunded: string;
  /** refund_line_items' subtotals: the line items taken back, after discounts (with their tax when prices include tax). */
  lineSubtotal: string;
  /** refund_line_items' tax. */
  lineTax: string;
  /** Shipping refunded (order_adjustments of kind shipping_refund, with their tax), as a positive amount. */
  shipping: string;
}

/** Reads a REST Refund payload (refunds/create). Amounts in shop money where a `_set` gives it. */
export function refundFromPayload(payload: Json): RefundOfOrder {
  const amountOf = (record: Json, name: string, field: string) => {
    const shop = obj(obj(record[`${name}_set`])?.shop_money)?.amount;
    const value = shop ?? record[name];
    return value == null ? 0n : toMicros(requireDecimal(value, field));
  };
  let refunded = 0n;
  (Array.isArray(payload.transactions) ? payload.transactions : []).forEach((t, i) => {
    const tx = obj(t);
    if (tx && tx.kind === "refund" && (tx.status === undefined || tx.status === "success")) refunded += toMicros(requireDecimal(tx.amount, `transactions[${i}].amount`));
  });
  let lineSubtotal = 0n;
  let lineTax = 0n;
  (Array.isArray(payload.refund_line_items) ? payload.refund_line_items : []).forEach((raw, i) => {
    const line = obj(raw);
    if (!line) throw new RecordFormatError(`refund_line_items[${i}]`, "expected an object");
    lineSubtotal += amountOf(line, "subtotal", `refund_line_items[${i}].subtotal`);
    lineTax += amountOf(line, "total_tax", `refund_line_items[${i}].total_tax`);
  });
  let shipping = 0n;
  (Array.isArray(payload.order_adjustments) ? payload.order_adjustments : []).forEach((raw, i) => {
    const adjustment = obj(raw);
    if (!adjustment || adjustment.kind !== "shipping_refund") return;
    // Shopify writes refund adjustments as negative amounts.
    const total = amountOf(adjustment, "amount", `order_adjustments[${i}].amount`) + amountOf(adjustment, "tax_amount", `order_adjustments[${i}].tax_amount`);
    shipping += total < 0n ? -total : total;
  });
  return {
    orderShopifyId: numericToGid(payload.order_id, "order_id", "Order"),
    refundedAt: optionalDate(payload.created_at, "created_at"),
    refunded: fromMicros(refunded),
    lineSubtotal: fromMicros(lineSubtotal),
    lineTax: fromMicros(lineTax),
    shipping: fromMicros(shipping),
  };
}
