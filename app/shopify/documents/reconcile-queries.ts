/**
 * The reconcile job's light periodic read: orders and customers updated since a point in time
 * (`updated_at:>'…'` search syntax), sorted by UPDATED_AT so a page cursor always moves forward.
 * It heals webhooks Shopify never delivered (delivery is not guaranteed, SHOPIFY.md §5).
 */
import { adminDocument } from "../admin-document";
import { CUSTOMER_FIELDS, LINE_ITEM_FIELDS, ORDER_FIELDS, type CustomerNode, type LineItemNode, type OrderNode } from "./record-selections";

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Line items per order in the reconcile query; orders with more are re-read (see reconcile). */
export const RECONCILE_LINE_ITEMS_PER_ORDER = 25;

export const RECENT_ORDERS = adminDocument<
  {
    orders: {
      nodes: (OrderNode & { lineItems: { nodes: LineItemNode[]; pageInfo: { hasNextPage: boolean } } })[];
      pageInfo: PageInfo;
    };
  },
  { first: number; after: string | null; query: string }
>(`query RecentOrders($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ${ORDER_FIELDS} lineItems(first: ${RECONCILE_LINE_ITEMS_PER_ORDER}) { nodes { ${LINE_ITEM_FIELDS} } pageInfo { hasNextPage } } }
    pageInfo { hasNextPage endCursor }
  }
}`);

export const RECENT_CUSTOMERS = adminDocument<
  { customers: { nodes: CustomerNode[]; pageInfo: PageInfo } },
  { first: number; after: string | null; query: string }
>(`query RecentCustomers($first: Int!, $after: String, $query: String!) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ${CUSTOMER_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }
}`);

/**
 * Query cost of one node, used with pageSizeForCost: the order's objects (17, with its nested
 * line-item connection's base cost) plus each line (4: the node, product, discountedTotalSet, shopMoney).
 */
export const RECENT_ORDERS_NODE_COST = 17 + RECONCILE_LINE_ITEMS_PER_ORDER * 4;
export const RECENT_CUSTOMERS_NODE_COST = 6;
