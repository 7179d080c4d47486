/**
 * Page cursors of the customer lists (the Customers page, a segment's members): the sort value
 * and customer id of the row a page starts or ends at, as opaque base64url text in the URL.
 * Decoding checks the shape, so a tampered or stale cursor is a 400 for the `after`/`before`
 * parameter, never a query on garbage.
 */
import { invalidParameter, type InvalidListParameter } from "./customer-list-query";

export type CursorValue = number | string | null;

export function encodeListCursor(value: CursorValue, customerShopifyId: string): string {
  return Buffer.from(JSON.stringify([value, customerShopifyId]), "utf8").toString("base64url");
}

export function decodeListCursor(cursor: string): { value: CursorValue; customerShopifyId: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== "string") return null;
    const [value] = parsed;
    if (value !== null && typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) return null;
    return { value, customerShopifyId: parsed[1] };
  } catch {
    return null;
  }
}

/** A page cursor that is not one of this list's (tampered, or from another sort): the route answers 400 with `problem`. */
export class InvalidListCursorError extends Error {
  readonly problem: InvalidListParameter;

  constructor(readonly field: "after" | "before") {
    super(`${field}: not a page cursor of this list`);
    this.name = "InvalidListCursorError";
    this.problem = invalidParameter(field, "not-a-cursor");
  }
}

/**
 * The row the asked page starts after (`after`) or ends before (`before`); null for the first
 * page. `fits` says whether a cursor's sort value is one of the list's current sort (a date for
 * the last order, a number for the CLV).
 * @throws InvalidListCursorError when the cursor does not decode or does not fit
 */
export function pagePosition(
  query: { after: string | null; before: string | null },
  fits: (value: CursorValue) => boolean,
): { value: CursorValue; customerShopifyId: string } | null {
  const text = query.after ?? query.before;
  if (text === null) return null;
  const position = decodeListCursor(text);
  if (position === null || !fits(position.value)) throw new InvalidListCursorError(query.after !== null ? "after" : "before");
  return position;
}
