/**
 * What a tag push must change in Shopify (issue 11 item 5), as a pure function: the segment's
 * current members × the tags Shopify holds × the app's prefix × the hold-out.
 *
 * - joiners (`tagsAdd`): members outside the control group who do not carry the tag;
 * - leavers (`tagsRemove`): customers who carry the tag but are no longer tagged members
 *   (left the segment, or moved into the control group);
 * - over the limit: joiners who already hold 250 tags (Shopify refuses a 251st, SHOPIFY.md §7):
 *   reported, never sent.
 *
 * Only the segment's own tag is ever sent, and it must start with the app's prefix, so a tag the
 * merchant or another app set is never touched. Tags compare case-insensitively, as Shopify's do.
 */

/** Shopify: a customer holds at most 250 tags, each at most 255 characters (SHOPIFY.md §7). */
export const MAX_CUSTOMER_TAGS = 250;
export const MAX_TAG_LENGTH = 255;

export type SegmentTagResult = { ok: true; tag: string } | { ok: false; reason: "empty" | "too-long" | "comma" };

/** The tag of a segment: the shop's prefix + the segment's handle, lower-case. */
export function segmentTag(prefix: string, handle: string): SegmentTagResult {
  const tag = `${prefix}${handle}`.trim().toLowerCase();
  if (!handle.trim()) return { ok: false, reason: "empty" };
  if (tag.includes(",")) return { ok: false, reason: "comma" };
  if (tag.length > MAX_TAG_LENGTH) return { ok: false, reason: "too-long" };
  return { ok: true, tag };
}

export interface Member {
  customerShopifyId: string;
  isControl: boolean;
}

export interface TagDiffInput {
  /** The segment's tag (from segmentTag). */
  tag: string;
  /** The shop's tag prefix: a tag outside it is refused, so nothing else can be touched. */
  prefix: string;
  /** Current members; empty for an undo (everyone who holds the tag leaves). */
  members: Iterable<Member>;
  /**
   * The tags Shopify holds for each customer concerned: every member, and every customer who
   * holds the tag. Customers missing here hold no tags.
   */
  tagsOf: (customerShopifyId: string) => readonly string[] | undefined;
  /** Customers who hold the tag now (members or not). */
  holders: Iterable<string>;
}

export interface TagDiff {
  joiners: string[];
  leavers: string[];
  /** Joiners left out because they already hold 250 tags. */
  overLimit: string[];
  /** Members who already carry the tag and stay (for the dry run's counts). */
  unchanged: number;
  /** Members held out of the push. */
  heldOut: number;
}

export function diffSegmentTags(input: TagDiffInput): TagDiff {
  const tag = input.tag.toLowerCase();
  const prefix = input.prefix.toLowerCase();
  if (!prefix || !tag.startsWith(prefix) || tag.length === prefix.length) {
    throw new Error(`The tag "${input.tag}" does not start with the app's prefix "${input.prefix}": the app only pushes its own tags.`);
  }
  const hasTag = (id: string) => {
    const tags = input.tagsOf(id);
    if (!tags) return false;
    // Exact match first: lower-casing every tag of 100k customers is what costs.
    for (const t of tags) if (t === tag || (t.length === tag.length && t.toLowerCase() === tag)) return true;
    return false;
  };
  const tagged = new Set<string>();
  const joiners: string[] = [];
  const overLimit: string[] = [];
  let unchanged = 0;
  let heldOut = 0;
  for (const member of input.members) {
    if (member.isControl) {
      heldOut++;
      continue;
    }
    if (tagged.has(member.customerShopifyId)) continue;
    tagged.add(member.customerShopifyId);
    if (hasTag(member.customerShopifyId)) {
      unchanged++;
      continue;
    }
    if (distinctTagCount(input.tagsOf(member.customerShopifyId)) >= MAX_CUSTOMER_TAGS) overLimit.push(member.customerShopifyId);
    else joiners.push(member.customerShopifyId);
  }
  const leavers: string[] = [];
  const seen = new Set<string>();
  for (const id of input.holders) {
    if (tagged.has(id) || seen.has(id)) continue;
    seen.add(id);
    if (hasTag(id)) leavers.push(id);
  }
  return { joiners, leavers, overLimit, unchanged, heldOut };
}

function distinctTagCount(tags: readonly string[] | undefined): number {
  if (!tags) return 0;
  // Fewer entries than the limit cannot be at it; only then count case-insensitively.
  if (tags.length < MAX_CUSTOMER_TAGS) return tags.length;
  return new Set(tags.map((t) => t.toLowerCase())).size;
}
