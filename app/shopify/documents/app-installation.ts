/** What the app was granted and what the shop is: read after install and on scope changes. */
import { adminDocument } from "../admin-document";

export const APP_INSTALLATION_AND_SHOP = adminDocument<{
  currentAppInstallation: { accessScopes: { handle: string }[] };
  shop: { name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string; plan: { publicDisplayName: string } };
}>(`query AppInstallationAndShop {
  currentAppInstallation { accessScopes { handle } }
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
