/**
 * The segment page's URL parameters: the member list's (sort, direction, after/before, search,
 * lifecycle — the Customers page's, read by its parser) and the product table's sort.
 */
import { invalidParameter, parseCustomerListQuery, type CustomerListQuery, type InvalidListParameter } from "~/customers/customer-list-query";

/** Most popular products by orders containing them (times bought, the default), revenue or customers. */
export const PRODUCT_SORTS = ["orders", "revenue", "customers"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const PRODUCTS_SHOWN = 20;

export interface SegmentPageQuery {
  members: CustomerListQuery;
  productSort: ProductSort;
}

export type SegmentPageQueryResult = { ok: true; query: SegmentPageQuery } | { ok: false; problem: InvalidListParameter };

export function parseSegmentPageQuery(params: URLSearchParams): SegmentPageQueryResult {
  const members = parseCustomerListQuery(params);
  if (!members.ok) return members;
  const products = params.getAll("products");
  if (products.length > 1) return { ok: false, problem: invalidParameter("products", "repeated") };
  const productSort = products[0] || "orders";
  if (!(PRODUCT_SORTS as readonly string[]).includes(productSort)) return { ok: false, problem: invalidParameter("products", "not-one-of", { allowed: PRODUCT_SORTS }) };
  return { ok: true, query: { members: members.query, productSort: productSort as ProductSort } };
}

/** A segment id from the URL: a positive integer, else null (the route answers 404). */
export function parseSegmentId(raw: string | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : null;
}
