import { z } from "zod";

/** Columns the customer list can be sorted by (F7), as they appear in the URL. */
export const CUSTOMER_SORTS = ["clv", "pAlive", "lastOrder", "totalSpent"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** Sorts whose value can be missing (no prediction): those customers sort last whatever the direction. */
export const sortValueMayBeMissing = (sort: CustomerSort) => sort === "clv" || sort === "pAlive";
export const LIFECYCLE_STAGES = ["new", "active", "slipping-away", "lost"] as const;
export type LifecycleStageFilter = (typeof LIFECYCLE_STAGES)[number];
export const CUSTOMERS_PER_PAGE = 50;

export interface CustomerListQuery {
  sort: CustomerSort;
  direction: "asc" | "desc";
  /**
   * Keyset paging (issue "Large stores": page 500 costs what page 1 does): the page after or
   * before the row a cursor names (list-cursor.ts); neither = the first page.
   */
  after: string | null;
  before: string | null;
  lifecycle: LifecycleStageFilter | null;
  /** Search in name and e-mail (case-insensitive), null for none. */
  search: string | null;
}

/** base64url, bounded: what list-cursor.ts writes. */
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

const emptyAsMissing = (value: unknown) => (value === "" || value === null ? undefined : value);

const schema = z.object({
  sort: z.preprocess(emptyAsMissing, z.enum(CUSTOMER_SORTS, { error: `expected one of ${CUSTOMER_SORTS.join(", ")}` }).default("clv")),
  direction: z.preprocess(emptyAsMissing, z.enum(["asc", "desc"], { error: "expected asc or desc" }).default("desc")),
  after: z.preprocess(emptyAsMissing, z.string().regex(CURSOR, { error: "not a page cursor of this list" }).nullable().default(null)),
  before: z.preprocess(emptyAsMissing, z.string().regex(CURSOR, { error: "not a page cursor of this list" }).nullable().default(null)),
  search: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() || undefined : value),
    z.string().max(100, { error: "at most 100 characters" }).nullable().default(null),
  ),
  lifecycle: z.preprocess(
    emptyAsMissing,
    z.enum(LIFECYCLE_STAGES, { error: `expected one of ${LIFECYCLE_STAGES.join(", ")}` }).nullable().default(null),
  ),
});

/**
 * The words a search looks for, each in the name or e-mail (case-insensitive). "%" and "_" split
 * words instead of being LIKE wildcards ("first_last" finds what has both "first" and "last");
 * at most five words. Shared by every list searchable by name or e-mail.
 */
export function searchWords(search: string): string[] {
  return search.split(/[\s%_]+/).filter(Boolean).slice(0, 5);
}

export type CustomerListQueryResult =
  | { ok: true; query: CustomerListQuery }
  | { ok: false; field: string; message: string };

export const CUSTOMER_LIST_PARAMETERS = ["sort", "direction", "after", "before", "lifecycle", "search"] as const;

/**
 * Reads the customer list's URL parameters (sort, direction, after/before, lifecycle, search).
 * Other parameters (Shopify's host, shop, locale…) are ignored; a bad value of ours is reported
 * with its field.
 */
export function parseCustomerListQuery(params: URLSearchParams): CustomerListQueryResult {
  const input: Record<string, string> = {};
  for (const key of CUSTOMER_LIST_PARAMETERS) {
    const values = params.getAll(key);
    if (values.length > 1) return { ok: false, field: key, message: "given more than once" };
    if (values.length === 1) input[key] = values[0];
  }
  const parsed = schema.safeParse(input);
  if (parsed.success && parsed.data.after !== null && parsed.data.before !== null) return { ok: false, field: "before", message: "give after or before, not both" };
  if (parsed.success) return { ok: true, query: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, field: String(issue.path[0] ?? "query"), message: issue.message };
}
