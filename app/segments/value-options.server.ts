/**
 * What the builder's pickers offer: for the purchase conditions the shop's products by title
 * (the condition stores product ids), and its product types and vendors, from the products the
 * app stores (the import's `Product` rows: one row per product, so a search is cheap at any
 * number of orders; a stored id whose product is gone is named by the newest title its order
 * lines carry); for "has tag" the tags the shop's customers hold, as written, since a rule
 * compares a tag exactly (decision 023). Every query is scoped to the shop.
 */
import type { Database } from "~/db.server";
import { inList, likeContains, placeholder, type SqlDialect } from "~/sync/store/sql-dialect";

export const PURCHASE_VALUE_FIELDS = ["product", "productType", "vendor"] as const;
export type PurchaseValueField = (typeof PURCHASE_VALUE_FIELDS)[number];
/** The fields whose values the builder picks from the shop's own. */
export const PICKER_FIELDS = [...PURCHASE_VALUE_FIELDS, "tag"] as const;
export type PickerField = (typeof PICKER_FIELDS)[number];

export interface ValueOption {
  /** What the rule stores: a product GID, or the type, vendor or tag itself. */
  value: string;
  /** What the merchant reads: the product's title, or the type or vendor. */
  label: string;
}

/** Options offered at most per search. */
export const OPTION_LIMIT = 20;
const PRODUCT_GID = "gid://shopify/Product/";

/**
 * Options matching `query` (contains, case-insensitive; ASCII only on SQLite), sorted by label.
 * A product can also be found by its numeric id or GID.
 */
export async function purchaseValueOptions(prisma: Database, dialect: SqlDialect, shop: string, field: PurchaseValueField, query: string): Promise<ValueOption[]> {
  const p = (n: number) => placeholder(dialect, n);
  const like = dialect === "postgresql" ? "ILIKE" : "LIKE";
  const pattern = likeContains(query.trim());
  if (field === "product") {
    const id = /^\d{1,20}$/.test(query.trim()) ? `${PRODUCT_GID}${query.trim()}` : query.trim();
    const rows = await prisma.$queryRawUnsafe<{ value: string; label: string }[]>(
      `SELECT "shopifyId" AS "value", "title" AS "label" FROM "Product"
        WHERE "shop" = ${p(1)} AND ("title" ${like} ${p(2)} ESCAPE '\\' OR "shopifyId" = ${p(3)})
        ORDER BY "title", "shopifyId" LIMIT ${OPTION_LIMIT}`,
      shop,
      pattern,
      id,
    );
    return rows;
  }
  const column = field === "productType" ? `"productType"` : `"vendor"`;
  const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(
    `SELECT DISTINCT ${column} AS "value" FROM "Product"
      WHERE "shop" = ${p(1)} AND ${column} IS NOT NULL AND ${column} <> '' AND ${column} ${like} ${p(2)} ESCAPE '\\'
      ORDER BY 1 LIMIT ${OPTION_LIMIT}`,
    shop,
    pattern,
  );
  return rows.map((r) => ({ value: r.value, label: r.value }));
}

/**
 * The distinct tags of the shop's customers containing `query` (case-insensitive; ASCII only on
 * SQLite), sorted. Each next distinct tag is one seek of the tag rows' (shop, tag) index (the
 * smallest tag above the last), so a search reads one entry per distinct tag, not one per
 * customer holding it. Over 555k tag rows: 0.1 ms against 60–110 ms for a DISTINCT on SQLite,
 * 0.7–3 ms against 220–250 ms on PostgreSQL (bench/RESULTS.md, thirty-fourth session).
 */
export async function tagValueOptions(prisma: Database, dialect: SqlDialect, shop: string, query: string): Promise<ValueOption[]> {
  const p = (n: number) => placeholder(dialect, n);
  const like = dialect === "postgresql" ? "ILIKE" : "LIKE";
  const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(
    `WITH RECURSIVE "shopTags"("tag") AS (
       SELECT MIN("tag") FROM "CustomerTag" WHERE "shop" = ${p(1)}
       UNION ALL
       SELECT (SELECT MIN(t."tag") FROM "CustomerTag" t WHERE t."shop" = ${p(2)} AND t."tag" > s."tag") FROM "shopTags" s WHERE s."tag" IS NOT NULL
     )
     SELECT "tag" AS "value" FROM "shopTags" WHERE "tag" IS NOT NULL AND "tag" ${like} ${p(3)} ESCAPE '\\' ORDER BY 1 LIMIT ${OPTION_LIMIT}`,
    shop,
    shop,
    likeContains(query.trim()),
  );
  return rows.map((r) => ({ value: r.value, label: r.value }));
}

/** Options of any picker field matching `query`. */
export function pickerValueOptions(prisma: Database, dialect: SqlDialect, shop: string, field: PickerField, query: string): Promise<ValueOption[]> {
  return field === "tag" ? tagValueOptions(prisma, dialect, shop, query) : purchaseValueOptions(prisma, dialect, shop, field, query);
}

/** Labels of values a rule already holds (product ids → titles; types, vendors and tags are their own label). */
export async function purchaseValueLabels(prisma: Database, dialect: SqlDialect, shop: string, field: PickerField, values: readonly string[]): Promise<ValueOption[]> {
  if (field !== "product" || values.length === 0) return values.map((value) => ({ value, label: value }));
  const p = (n: number) => placeholder(dialect, n);
  const titles = new Map<string, string>();
  const products = await prisma.$queryRawUnsafe<{ value: string; label: string }[]>(
    `SELECT "shopifyId" AS "value", "title" AS "label" FROM "Product" WHERE "shop" = ${p(1)} AND "shopifyId" IN (${inList(dialect, values.length, 1)})`,
    shop,
    ...values,
  );
  for (const row of products) titles.set(row.value, row.label);
  const missing = values.filter((v) => !titles.has(v));
  if (missing.length > 0) {
    // A product deleted from the store: the title its lines were sold under (by the (shop, product) index).
    const lines = await prisma.$queryRawUnsafe<{ value: string; label: string }[]>(
      `SELECT l."productShopifyId" AS "value", MAX(l."title") AS "label" FROM "OrderLine" l
        WHERE l."shop" = ${p(1)} AND l."productShopifyId" IN (${inList(dialect, missing.length, 1)}) GROUP BY l."productShopifyId"`,
      shop,
      ...missing,
    );
    for (const row of lines) titles.set(row.value, row.label);
  }
  return values.map((value) => ({ value, label: titles.get(value) ?? value }));
}
