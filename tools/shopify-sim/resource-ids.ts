/**
 * Numeric resource ids and global ids (gids).
 *
 * Real Shopify ids are 64-bit integers that already exceed 2^53 for some resources, so a client
 * that parses them as JS numbers silently corrupts them. The simulator makes every id larger than
 * 2^53 (base + sequence number) to catch that: ids are only ever handled as decimal strings.
 */
export type ResourceType = "Customer" | "Order" | "Product" | "LineItem" | "Segment" | "BulkOperation" | "StagedUploadTarget";

/** Base value per resource type (all < 2^63 so they stay valid signed 64-bit integers). */
const ID_PREFIX: Record<ResourceType, string> = {
  Order: "7",
  Customer: "8",
  Product: "9",
  LineItem: "6",
  Segment: "5",
  BulkOperation: "4",
  StagedUploadTarget: "3",
};

/** Sequence numbers must fit in 18 decimal digits after the one-digit prefix. */
const SEQUENCE_DIGITS = 18;

/** Numeric id (decimal string) of the `sequence`-th resource (0-based), e.g. Order 0 → "7000000000000000001". */
export function numericId(type: ResourceType, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 0) throw new Error(`numericId: bad sequence ${sequence}`);
  return ID_PREFIX[type] + String(sequence + 1).padStart(SEQUENCE_DIGITS, "0");
}

/** `gid://shopify/<Type>/<id>` for the `sequence`-th resource. */
export function globalId(type: ResourceType, sequence: number): string {
  return `gid://shopify/${type}/${numericId(type, sequence)}`;
}

/** Parses a gid or bare numeric id back into its type and 0-based sequence; null if it is not one of ours. */
export function parseResourceId(id: string, expectedType?: ResourceType): { type: ResourceType; sequence: number } | null {
  const match = /^(?:gid:\/\/shopify\/([A-Za-z]+)\/)?(\d{19})$/.exec(id);
  if (!match) return null;
  const digits = match[2];
  const prefix = digits[0];
  const type = (Object.keys(ID_PREFIX) as ResourceType[]).find((t) => ID_PREFIX[t] === prefix);
  if (!type) return null;
  if (match[1] && match[1] !== type) return null;
  if (expectedType && type !== expectedType) return null;
  const sequence = Number(digits.slice(1)) - 1;
  if (!Number.isSafeInteger(sequence) || sequence < 0) return null;
  return { type, sequence };
}

/**
 * Numeric shop id derived from the shop name (FNV-1a), stable across runs. Shop ids are small on
 * Shopify (8–11 digits), so this one stays a safe integer.
 */
export function shopNumericId(shopName: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < shopName.length; i++) {
    hash ^= shopName.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 10_000_000 + (hash % 89_999_999);
}
