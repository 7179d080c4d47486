/**
 * Rows the sync writes: what Shopify said about a customer, order, line item or product, in
 * the database's shape. Built from bulk JSONL / GraphQL nodes (from-graphql.ts) or from webhook
 * payloads (from-webhook.ts); written by app/sync/store/record-writer.ts. Money stays a decimal
 * string end to end (never a float) until the database column takes it.
 */
export interface CustomerRow {
  shopifyId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  emailMarketingState: string | null;
  countryCode: string | null;
  country: string | null;
  provinceCode: string | null;
  province: string | null;
  city: string | null;
  /** null = the source did not say (webhook payloads since 2025-01 carry no tags): keep what is stored. */
  tags: string[] | null;
  numberOfOrders: number | null;
  amountSpent: string | null;
  shopifyRfmGroup: string | null;
  predictedSpendTier: string | null;
  shopifyCreatedAt: Date | null;
  shopifyUpdatedAt: Date;
}

export interface OrderRow {
  shopifyId: string;
  name: string | null;
  customerShopifyId: string | null;
  currencyCode: string | null;
  totalPrice: string;
  /** Shopify's current subtotal (line items after discounts and refunds; with their tax when taxes are included). */
  subtotalPrice: string | null;
  totalRefunded: string;
  /** Current subtotal without tax (net-sales.ts); null = the source did not carry it: keep what is stored. */
  netSales: string | null;
  test: boolean;
  sourceName: string | null;
  channel: string | null;
  firstVisitSource: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  shopifyCreatedAt: Date;
  processedAt: Date | null;
  cancelledAt: Date | null;
  shopifyUpdatedAt: Date;
}

export interface OrderLineRow {
  shopifyId: string;
  orderShopifyId: string;
  productShopifyId: string | null;
  title: string;
  productType: string | null;
  vendor: string | null;
  quantity: number;
  amount: string;
}

export interface ProductRow {
  shopifyId: string;
  title: string;
  productType: string | null;
  vendor: string | null;
  shopifyUpdatedAt: Date | null;
}

export interface OrderWithLines {
  order: OrderRow;
  lines: OrderLineRow[];
  /** true when `lines` is the order's complete set (webhook payload): lines not in it are removed. */
  linesComplete: boolean;
}

/** A record that cannot be read: names the field so the failure is actionable. */
export class RecordFormatError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "RecordFormatError";
  }
}
