/**
 * Relay-style cursor pagination the way Shopify's Admin API does it: `first`/`after` forwards,
 * `last`/`before` backwards, `reverse` flips the sort, at most 250 nodes per page, and opaque
 * cursors that encode the last row's sort value and id (Shopify's decode to
 * `{"last_id":…,"last_value":…}`), so a cursor stays valid while other rows change.
 * @see https://shopify.dev/docs/api/usage/pagination-graphql
 */
import { GraphQLError } from "graphql";

export type SortValue = number | string;

/** Rows of one resource in ascending (sortValue, sequence) order. */
export interface SortedRows {
  length: number;
  /** Row index (sequence) at ascending position `pos`. */
  rowAt(pos: number): number;
  sortValue(row: number): SortValue;
}

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Page {
  rows: number[];
  /** Lazy: scanning for one more match can touch every row, so it only runs if pageInfo asks. */
  hasNextPage: () => boolean;
  hasPreviousPage: () => boolean;
}

export const MAX_PAGE_SIZE = 250;

interface CursorKey {
  value: SortValue;
  sequence: number;
}

/** Encodes a cursor; `numericId` is written as a raw JSON number, as Shopify does. */
export function encodeCursor(numericId: string, sequence: number, value: SortValue): string {
  return Buffer.from(`{"last_id":${numericId},"last_value":${JSON.stringify(value)},"seq":${sequence}}`).toString("base64url");
}

function decodeCursor(cursor: string): CursorKey {
  try {
    const text = Buffer.from(cursor, "base64url").toString("utf8");
    const value = JSON.parse(text.replace(/"last_id":\d+,/, "")) as { last_value: SortValue; seq: number };
    if (typeof value.seq !== "number" || (typeof value.last_value !== "number" && typeof value.last_value !== "string")) throw new Error("shape");
    return { value: value.last_value, sequence: value.seq };
  } catch {
    throw new GraphQLError(`Invalid cursor '${cursor}'.`, { extensions: { code: "BAD_REQUEST" } });
  }
}

function compareKeys(a: CursorKey, b: CursorKey): number {
  if (a.value < b.value) return -1;
  if (a.value > b.value) return 1;
  return a.sequence - b.sequence;
}

/**
 * Returns one page of rows matching `matches`, in traversal order.
 * @throws GraphQLError when neither or both of first/last are given, or a page exceeds 250.
 */
export function paginate(sorted: SortedRows, args: PageArgs, matches: (row: number) => boolean): Page {
  const { first, last } = args;
  if ((first == null) === (last == null)) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The ${first != null ? "first" : "last"} argument must be between 0 and ${MAX_PAGE_SIZE}.`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const n = sorted.length;
  const reverse = Boolean(args.reverse);
  const posOf = (k: number) => (reverse ? n - 1 - k : k);
  const keyAt = (k: number): CursorKey => {
    const row = sorted.rowAt(posOf(k));
    return { value: sorted.sortValue(row), sequence: row };
  };
  const sign = reverse ? -1 : 1;
  /** First traversal index k whose key compares (in traversal order) > or >= the cursor. */
  const search = (cursor: CursorKey, strict: boolean) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = sign * compareKeys(keyAt(mid), cursor);
      if (strict ? c > 0 : c >= 0) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const start = args.after ? search(decodeCursor(args.after), true) : 0;
  const end = args.before ? search(decodeCursor(args.before), false) : n;

  const anyMatch = (from: number, to: number, step: number) => {
    for (let k = from; step > 0 ? k < to : k >= to; k += step) if (matches(sorted.rowAt(posOf(k)))) return true;
    return false;
  };

  const rows: number[] = [];
  if (first != null) {
    let k = start;
    for (; k < end && rows.length < first; k++) {
      const row = sorted.rowAt(posOf(k));
      if (matches(row)) rows.push(row);
    }
    const next = k;
    return {
      rows,
      hasNextPage: () => anyMatch(next, end, 1),
      hasPreviousPage: () => start > 0 && anyMatch(start - 1, 0, -1),
    };
  }
  let k = end - 1;
  for (; k >= start && rows.length < last!; k--) {
    const row = sorted.rowAt(posOf(k));
    if (matches(row)) rows.push(row);
  }
  rows.reverse();
  const previous = k;
  return {
    rows,
    hasNextPage: () => end < n && anyMatch(end, n, 1),
    hasPreviousPage: () => anyMatch(previous, start, -1),
  };
}
