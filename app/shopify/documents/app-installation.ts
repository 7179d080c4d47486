/**
 * What the shop is, read when a backfill starts. (Granted scopes come from the offline
 * session, which token exchange and app/scopes_update keep current.)
 */
import { adminDocument } from "../admin-document";

export const SHOP_DETAILS = adminDocument<{
  shop: { name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string; plan: { publicDisplayName: string } };
}>(`query ShopDetails {
  shop { name myshopifyDomain currencyCode ianaTimezone plan { publicDisplayName } }
}`);

/** Totals for the progress bar ("objects done of total"); `limit: null` asks for an exact count. */
export const RECORD_COUNTS = adminDocument<{
  customersCount: { count: number; precision: string } | null;
  ordersCount: { count: number; precision: string } | null;
  productsCount: { count: number; precision: string } | null;
}>(`query RecordCounts {
  customersCount(limit: null) { count precision }
  ordersCount(limit: null) { count precision }
  productsCount(limit: null) { count precision }
}`);
