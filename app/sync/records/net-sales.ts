/**
 * Net sales of an order (METRICS.md "Inputs"; docs/decisions/009-net-sales-from-current-subtotal.md):
 * the line items after discounts, returns and refunds, without tax and shipping. Shopify's
 * current subtotal is exactly that when prices exclude tax; when the shop's prices include tax
 * (`taxesIncluded`) the subtotal holds the line items' tax too, which the current total tax
 * (the tax lines of the line items, after returns) takes back out. Exact decimal arithmetic.
 */
import { fromMicros, toMicros } from "./money";

export interface OrderSubtotalParts {
  /** currentSubtotalPriceSet.shopMoney.amount (REST: current_subtotal_price_set.shop_money.amount). */
  currentSubtotal: string | null;
  /** currentTotalTaxSet.shopMoney.amount (REST: current_total_tax_set.shop_money.amount). */
  currentTotalTax: string | null;
  /** null when the source did not say. */
  taxesIncluded: boolean | null;
}

/** The order's net sales as a decimal string, or null when the source lacks a part it needs (never a guess). */
export function netSalesOf(parts: OrderSubtotalParts): string | null {
  if (parts.currentSubtotal === null || parts.taxesIncluded === null) return null;
  if (!parts.taxesIncluded) return fromMicros(toMicros(parts.currentSubtotal));
  if (parts.currentTotalTax === null) return null;
  return fromMicros(toMicros(parts.currentSubtotal) - toMicros(parts.currentTotalTax));
}
