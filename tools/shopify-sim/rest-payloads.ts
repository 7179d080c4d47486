/**
 * REST-shaped (API 2026-10) webhook payloads. Numeric ids are written as raw JSON numbers above
 * 2^53 — as Shopify does — so a receiver that runs JSON.parse on the body loses precision; the
 * `admin_graphql_api_id` gid next to each id is the safe key.
 */
import { globalId, numericId, shopNumericId } from "./resource-ids.ts";
import { customerEmail } from "./resource-views.ts";
import { FIRST_NAMES, LAST_NAMES, PLACES, SALES_CHANNELS } from "./store-catalog.ts";
import { ORDER_FLAG_TEST, formatMoney, orderCurrentTotalCents, orderDiscountCents, orderPrices, type ShopStore } from "./store-model.ts";

/** Marks a decimal string to be written as a bare JSON number. */
export class RawJsonNumber {
  constructor(readonly digits: string) {
    if (!/^-?\d+$/.test(digits)) throw new Error(`RawJsonNumber: not an integer: ${digits}`);
  }
}

const RAW_MARK = "\u{1F522}raw:";

/** JSON.stringify that writes {@link RawJsonNumber} values as unquoted digits. */
export function stringifyWithRawNumbers(value: unknown): string {
  const text = JSON.stringify(value, (_key, v) => (v instanceof RawJsonNumber ? `${RAW_MARK}${v.digits}` : v));
  return text.replace(new RegExp(`"${RAW_MARK}(-?\\d+)"`, "gu"), "$1");
}

/** REST timestamps carry an offset: 2026-11-01T10:00:00+00:00. */
export function restTime(ms: number | null): string | null {
  if (ms === null || Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

function moneySet(cents: number, currency: string) {
  const m = { amount: formatMoney(cents), currency_code: currency };
  return { shop_money: m, presentment_money: m };
}

export function restCustomer(store: ShopStore, c: number) {
  const cu = store.customers;
  const place = PLACES[cu.placeIdx[c]];
  const address = {
    id: new RawJsonNumber(numericId("Customer", c)),
    customer_id: new RawJsonNumber(numericId("Customer", c)),
    first_name: FIRST_NAMES[cu.firstNameIdx[c]],
    last_name: LAST_NAMES[cu.lastNameIdx[c]],
    city: place.city,
    province: place.province,
    country: place.country,
    province_code: place.provinceCode,
    country_code: place.countryCode,
    country_name: place.country,
    default: true,
  };
  return {
    id: new RawJsonNumber(numericId("Customer", c)),
    email: customerEmail(store, c),
    created_at: restTime(cu.createdAt[c]),
    updated_at: restTime(cu.updatedAt[c]),
    first_name: FIRST_NAMES[cu.firstNameIdx[c]],
    last_name: LAST_NAMES[cu.lastNameIdx[c]],
    state: "enabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: null,
    currency: store.shop.currencyCode,
    addresses: [address],
    default_address: address,
    admin_graphql_api_id: globalId("Customer", c),
  };
}

export function restOrder(store: ShopStore, r: number) {
  const o = store.orders;
  const currency = store.shop.currencyCode;
  const c = o.customerIdx[r];
  const lineItems = [];
  for (let line = o.lineStart[r]; line < o.lineStart[r + 1]; line++) {
    const productIdx = o.lineProductIdx[line];
    const product = store.products[productIdx];
    const qty = o.lineQuantity[line];
    lineItems.push({
      id: new RawJsonNumber(numericId("LineItem", line)),
      admin_graphql_api_id: globalId("LineItem", line),
      product_id: new RawJsonNumber(numericId("Product", productIdx)),
      title: product.title,
      name: product.title,
      vendor: product.vendor,
      sku: `SKU-${productIdx + 1}`,
      quantity: qty,
      price: formatMoney(Math.round(o.lineOriginalCents[line] / qty)),
      price_set: moneySet(Math.round(o.lineOriginalCents[line] / qty), currency),
      total_discount: formatMoney(o.lineOriginalCents[line] - o.lineDiscountedCents[line]),
    });
  }
  const refunded = o.refundedCents[r];
  const { original, current } = orderPrices(store, r);
  const financial = refunded <= 0 ? "paid" : refunded >= o.totalCents[r] ? "refunded" : "partially_refunded";
  return {
    id: new RawJsonNumber(numericId("Order", r)),
    admin_graphql_api_id: globalId("Order", r),
    name: `#${1001 + r}`,
    order_number: 1001 + r,
    email: c >= 0 ? customerEmail(store, c) : null,
    created_at: restTime(o.createdAt[r]),
    updated_at: restTime(o.updatedAt[r]),
    processed_at: restTime(o.createdAt[r]),
    cancelled_at: restTime(o.cancelledAt[r]),
    cancel_reason: Number.isNaN(o.cancelledAt[r]) ? null : "customer",
    currency,
    presentment_currency: currency,
    taxes_included: store.shop.pricing.taxesIncluded,
    subtotal_price: formatMoney(original.subtotalCents),
    subtotal_price_set: moneySet(original.subtotalCents, currency),
    total_price: formatMoney(o.totalCents[r]),
    total_price_set: moneySet(o.totalCents[r], currency),
    total_tax: formatMoney(original.taxCents),
    total_tax_set: moneySet(original.taxCents, currency),
    total_discounts: formatMoney(orderDiscountCents(o, r)),
    total_discounts_set: moneySet(orderDiscountCents(o, r), currency),
    total_shipping_price_set: moneySet(original.shippingCents, currency),
    current_subtotal_price: formatMoney(current.subtotalCents),
    current_subtotal_price_set: moneySet(current.subtotalCents, currency),
    current_total_tax: formatMoney(current.taxCents),
    current_total_tax_set: moneySet(current.taxCents, currency),
    current_total_price: formatMoney(orderCurrentTotalCents(o, r)),
    current_total_price_set: moneySet(orderCurrentTotalCents(o, r), currency),
    financial_status: financial,
    test: (o.flags[r] & ORDER_FLAG_TEST) !== 0,
    source_name: SALES_CHANNELS[o.channelIdx[r]].sourceName,
    tags: (o.tags.get(r) ?? []).join(", "),
    customer: c >= 0 ? restCustomer(store, c) : null,
    line_items: lineItems,
    refunds: refunded > 0
      ? [{
          id: new RawJsonNumber(numericId("Order", r).replace(/^7/, "2")),
          order_id: new RawJsonNumber(numericId("Order", r)),
          created_at: restTime(o.updatedAt[r]),
          transactions: [{ kind: "refund", status: "success", amount: formatMoney(refunded), currency }],
        }]
      : [],
  };
}

export function restBulkOperationFinish(op: { gid: string; status: string; errorCode: string | null; createdAt: number; completedAt: number | null; type: string }) {
  return {
    admin_graphql_api_id: op.gid,
    completed_at: restTime(op.completedAt),
    created_at: restTime(op.createdAt),
    error_code: op.errorCode ? op.errorCode.toLowerCase() : null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}

/** app/uninstalled payload: the REST Shop resource. */
export function restShop(store: ShopStore) {
  const s = store.shop;
  return {
    id: shopNumericId(s.name),
    name: s.name,
    email: s.email,
    domain: s.domain,
    myshopify_domain: s.domain,
    plan_name: s.plan === "plus" ? "shopify_plus" : "basic",
    plan_display_name: s.plan === "plus" ? "Shopify Plus" : "Basic",
    currency: s.currencyCode,
    iana_timezone: s.ianaTimezone,
    created_at: restTime(s.createdAt),
    updated_at: restTime(s.createdAt),
  };
}

/** Orders of customer `c` (numeric ids), for the GDPR payloads. */
function customerOrderIds(store: ShopStore, c: number): RawJsonNumber[] {
  const ids: RawJsonNumber[] = [];
  for (let i = 0; i < store.orders.count; i++) if (store.orders.customerIdx[i] === c) ids.push(new RawJsonNumber(numericId("Order", i)));
  return ids;
}

/** customers/redact payload (mandatory compliance topic). */
export function restCustomersRedact(store: ShopStore, c: number) {
  return {
    shop_id: shopNumericId(store.shop.name),
    shop_domain: store.shop.domain,
    customer: { id: new RawJsonNumber(numericId("Customer", c)), email: customerEmail(store, c), phone: null },
    orders_to_redact: customerOrderIds(store, c),
  };
}

/** customers/data_request payload (mandatory compliance topic). */
export function restCustomersDataRequest(store: ShopStore, c: number, requestId: number) {
  return {
    shop_id: shopNumericId(store.shop.name),
    shop_domain: store.shop.domain,
    orders_requested: customerOrderIds(store, c),
    customer: { id: new RawJsonNumber(numericId("Customer", c)), email: customerEmail(store, c), phone: null },
    data_request: { id: requestId },
  };
}

/** shop/redact payload, sent 48 hours after uninstall. */
export function restShopRedact(store: ShopStore) {
  return { shop_id: shopNumericId(store.shop.name), shop_domain: store.shop.domain };
}
