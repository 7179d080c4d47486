/**
 * The queries handed to `bulkOperationRunQuery` for the backfill (SHOPIFY.md §4: at most
 * 5 connections, nesting at most 2 levels, no top-level node/nodes). Line items are a nested
 * connection: in the JSONL each comes as its own line with `__parentId` = the order's gid,
 * after its order.
 */
import { CUSTOMER_FIELDS, LINE_ITEM_FIELDS, ORDER_FIELDS, PRODUCT_FIELDS } from "./record-selections";

export type BulkResource = "customers" | "orders" | "products";

/** Backfill order: products and customers first, so orders land on known customers. */
export const BULK_RESOURCES: readonly BulkResource[] = ["products", "customers", "orders"];

export const BULK_QUERIES: Record<BulkResource, string> = {
  customers: `query BulkCustomers { customers { edges { node { ${CUSTOMER_FIELDS} } } } }`,
  orders: `query BulkOrders { orders { edges { node { ${ORDER_FIELDS} lineItems { edges { node { ${LINE_ITEM_FIELDS} } } } } } } }`,
  products: `query BulkProducts { products { edges { node { ${PRODUCT_FIELDS} } } } }`,
};
