/**
 * The insight pages (issue #12 items 3–5) for the harnesses that visit every page (accessibility,
 * page-loader benchmark): their paths, and how to get data onto them — `seedInsightStore` from
 * tests/db/insight-store.ts stores a small analysed store for a shop, with the customer of
 * `INSIGHT_CUSTOMER_PAGE`.
 */
export const INSIGHT_PAGE_PATHS = ["/app/geography", "/app/products", "/app/timing", "/app/acquisition", "/app/model-quality"] as const;

/** The customer page of a fixture customer with eleven orders, one of them a test order (gid://shopify/Customer/1042). */
export const INSIGHT_CUSTOMER_PAGE = "/app/customers/1042";

/** Every page of this feature, the customer page included. */
export const INSIGHT_PAGES: readonly string[] = [...INSIGHT_PAGE_PATHS, INSIGHT_CUSTOMER_PAGE];
