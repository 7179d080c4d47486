/**
 * The queries handed to `bulkOperationRunQuery` for the backfill (bulk.graphql). They share the
 * record fragments of records.graphql with the reconcile queries, and are sent with those
 * fragments written out in place: one self-contained query per export, as Shopify's bulk
 * rules (≤ 5 connections, ≤ 2 levels of nesting, no top-level node/nodes) are stated for.
 * Each JSONL line of an export is one node of the fragment's shape (record-selections.ts);
 * line items come as their own lines with `__parentId` = the order's gid, after their order.
 */
import { BulkCustomersDocument, BulkOrdersDocument, BulkProductsDocument } from "../generated/admin.generated";
import { inlineFragments } from "./inline-fragments";

export type BulkResource = "customers" | "orders" | "products";

/** Backfill order: products and customers first, so orders land on known customers. */
export const BULK_RESOURCES: readonly BulkResource[] = ["products", "customers", "orders"];

export const BULK_QUERIES: Record<BulkResource, string> = {
  customers: inlineFragments(BulkCustomersDocument.toString()),
  orders: inlineFragments(BulkOrdersDocument.toString()),
  products: inlineFragments(BulkProductsDocument.toString()),
};
