import { z } from "zod";

/** Columns the customer list can be sorted by (F7), as they appear in the URL. */
export const CUSTOMER_SORTS = ["clv", "pAlive", "lastOrder", "totalSpent"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const LIFECYCLE_STAGES = ["new", "active", "slipping-away", "lost"] as const;
export type LifecycleStageFilter = (typeof LIFECYCLE_STAGES)[number];
export const CUSTOMERS_PER_PAGE = 50;

export interface CustomerListQuery {
  sort: CustomerSort;
  direction: "asc" | "desc";
  /** 1-based page of `CUSTOMERS_PER_PAGE` rows. */
  page: number;
  lifecycle: LifecycleStageFilter | null;
}

const emptyAsMissing = (value: unknown) => (value === "" || value === null ? undefined : value);

const schema = z.object({
  sort: z.preprocess(emptyAsMissing, z.enum(CUSTOMER_SORTS, { error: `expected one of ${CUSTOMER_SORTS.join(", ")}` }).default("clv")),
  direction: z.preprocess(emptyAsMissing, z.enum(["asc", "desc"], { error: "expected asc or desc" }).default("desc")),
  page: z.preprocess(
    emptyAsMissing,
    z
      .string()
      .regex(/^\d{1,6}$/, { error: "expected a whole page number from 1" })
      .transform(Number)
      .pipe(z.number().int().min(1, { error: "expected a whole page number from 1" }))
      .default(1),
  ),
  lifecycle: z.preprocess(
    emptyAsMissing,
    z.enum(LIFECYCLE_STAGES, { error: `expected one of ${LIFECYCLE_STAGES.join(", ")}` }).nullable().default(null),
  ),
});

export type CustomerListQueryResult =
  | { ok: true; query: CustomerListQuery }
  | { ok: false; field: string; message: string };

/**
 * Reads the customer list's URL parameters (sort, direction, page, lifecycle). Other parameters
 * (Shopify's host, shop, locale…) are ignored; a bad value of ours is reported with its field.
 */
export function parseCustomerListQuery(params: URLSearchParams): CustomerListQueryResult {
  const input: Record<string, string> = {};
  for (const key of ["sort", "direction", "page", "lifecycle"]) {
    const values = params.getAll(key);
    if (values.length > 1) return { ok: false, field: key, message: "given more than once" };
    if (values.length === 1) input[key] = values[0];
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, query: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, field: String(issue.path[0] ?? "query"), message: issue.message };
}
