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

/** The longest search, in characters. */
const SEARCH_MAX = 100;

/** base64url, bounded: what list-cursor.ts writes. */
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

const emptyAsMissing = (value: unknown) => (value === "" || value === null ? undefined : value);

const schema = z.object({
  sort: z.preprocess(emptyAsMissing, z.enum(CUSTOMER_SORTS).default("clv")),
  direction: z.preprocess(emptyAsMissing, z.enum(["asc", "desc"]).default("desc")),
  after: z.preprocess(emptyAsMissing, z.string().regex(CURSOR).nullable().default(null)),
  before: z.preprocess(emptyAsMissing, z.string().regex(CURSOR).nullable().default(null)),
  search: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() || undefined : value),
    z.string().max(SEARCH_MAX).nullable().default(null),
  ),
  lifecycle: z.preprocess(emptyAsMissing, z.enum(LIFECYCLE_STAGES).nullable().default(null)),
});

/**
 * The words a search looks for, each in the name or e-mail (case-insensitive). "%" and "_" split
 * words instead of being LIKE wildcards ("first_last" finds what has both "first" and "last");
 * at most five words. Shared by every list searchable by name or e-mail.
 */
export function searchWords(search: string): string[] {
  return search.split(/[\s%_]+/).filter(Boolean).slice(0, 5);
}

/** Why a list's URL parameter was refused. */
export type InvalidParameterReason = "repeated" | "after-and-before" | "not-a-cursor" | "too-long" | "not-one-of";

/**
 * A refused URL parameter of a list (the Customers page, a segment's members and products): the
 * 400's JSON body. `reason` with `allowed` or `max` is what the page words in the admin's
 * language (customers.invalidQuery.reason.*); `message` says the same in English for API
 * clients and logs.
 */
export interface InvalidListParameter {
  field: string;
  reason: InvalidParameterReason;
  /** The values the parameter takes ("not-one-of"). */
  allowed?: readonly string[];
  /** Its longest length in characters ("too-long"). */
  max?: number;
  message: string;
}

export function invalidParameter(field: string, reason: InvalidParameterReason, details: { allowed?: readonly string[]; max?: number } = {}): InvalidListParameter {
  const message = {
    repeated: "given more than once",
    "after-and-before": "give after or before, not both",
    "not-a-cursor": "not a page cursor of this list",
    "too-long": `at most ${details.max} characters`,
    "not-one-of": `expected one of ${details.allowed?.join(", ")}`,
  }[reason];
  return { field, reason, ...details, message };
}

/** What a value the schema refuses is, by parameter (zod's own messages are English only). */
const REFUSED = {
  sort: (field) => invalidParameter(field, "not-one-of", { allowed: CUSTOMER_SORTS }),
  direction: (field) => invalidParameter(field, "not-one-of", { allowed: ["asc", "desc"] }),
  lifecycle: (field) => invalidParameter(field, "not-one-of", { allowed: LIFECYCLE_STAGES }),
  after: (field) => invalidParameter(field, "not-a-cursor"),
  before: (field) => invalidParameter(field, "not-a-cursor"),
  search: (field) => invalidParameter(field, "too-long", { max: SEARCH_MAX }),
} satisfies Record<keyof typeof schema.shape, (field: string) => InvalidListParameter>;

export type CustomerListQueryResult = { ok: true; query: CustomerListQuery } | { ok: false; problem: InvalidListParameter };

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
    if (values.length > 1) return { ok: false, problem: invalidParameter(key, "repeated") };
    if (values.length === 1) input[key] = values[0];
  }
  const parsed = schema.safeParse(input);
  if (parsed.success && parsed.data.after !== null && parsed.data.before !== null) return { ok: false, problem: invalidParameter("before", "after-and-before") };
  if (parsed.success) return { ok: true, query: parsed.data };
  // Every parameter the schema checks has its reason; the first refused one is reported.
  const field = parsed.error.issues[0].path[0] as keyof typeof REFUSED;
  return { ok: false, problem: REFUSED[field](field) };
}
