/**
 * Page cursors of the customer list: the sort value and customer id of the row a page starts
 * or ends at, as opaque base64url text in the URL. Decoding checks the shape, so a tampered or
 * stale cursor is a 400 for the `after`/`before` parameter, never a query on garbage.
 */
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
