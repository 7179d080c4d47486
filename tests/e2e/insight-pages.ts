/**
 * The insight pages (issue #12 items 3–5) for the harnesses that visit every page (accessibility,
 * page-loader benchmark): their paths, and how to get data onto them — `seedInsightStore` from
 * tests/db/insight-store.ts stores a small analysed store for a shop; its first customer is
 * `INSIGHT_CUSTOMER_PAGE`.
 */
export const INSIGHT_PAGE_PATHS = ["/app/geography", "/app/products", "/app/timing", "/app/acquisition", "/app/model-quality"] as const;

/** The customer page of the fixture store's first customer (gid://shopify/Customer/1001). */
export const INSIGHT_CUSTOMER_PAGE = "/app/customers/1001";

/** Every page of this feature, the customer page included. */
export const INSIGHT_PAGES: readonly string[] = [...INSIGHT_PAGE_PATHS, INSIGHT_CUSTOMER_PAGE];
