/**
 * Applying `customer.tags_added` / `customer.tags_removed` so that any delivery order gives the
 * state in-order delivery gives. Shopify does not order webhooks (SHOPIFY.md §5): "add vip" at
 * 10:00 and "remove vip" at 10:05 may arrive remove-first. Each tag remembers the time of the
 * latest event applied to it (the delivery's X-Shopify-Triggered-At), and an event older than
 * that, or older than the customer snapshot the tags came from (`tagsAsOf`, a bulk or reconcile
 * read, which already contains every change before it), changes nothing.
 *
 * Tags compare case-insensitively, as Shopify's do (SHOPIFY.md §7); the spelling kept is the
 * one first seen.
 */

/** Per lower-case tag: when its latest applied event happened (ISO) and whether it left the tag on. */
export type TagEventLog = Record<string, { at: string; present: boolean }>;

export interface CustomerTagState {
  tags: readonly string[];
  /** Time of the snapshot the tags came from; null when they came only from tag events. */
  tagsAsOf: Date | null;
  events: TagEventLog;
}

export interface TagChange {
  add?: readonly string[];
  remove?: readonly string[];
  /** When the event happened; null when the delivery did not say (then it is applied as it comes). */
  at: Date | null;
}

export function applyTagChange(state: CustomerTagState, change: TagChange): { tags: string[]; events: TagEventLog } {
  const tags = new Map<string, string>();
  for (const tag of state.tags) if (!tags.has(tag.toLowerCase())) tags.set(tag.toLowerCase(), tag);
  const events: TagEventLog = {};
  // Entries not newer than the snapshot can no longer decide anything: drop them.
  for (const [key, entry] of Object.entries(state.events)) {
    if (!state.tagsAsOf || Date.parse(entry.at) > state.tagsAsOf.getTime()) events[key] = entry;
  }
  const at = change.at?.getTime();
  const apply = (tag: string, present: boolean) => {
    const key = tag.toLowerCase();
    if (at !== undefined) {
      if (state.tagsAsOf && at <= state.tagsAsOf.getTime()) return; // already in the snapshot
      const latest = events[key];
      if (latest && at < Date.parse(latest.at)) return; // a later event for this tag was applied
      events[key] = { at: change.at!.toISOString(), present };
    }
    if (present) {
      if (!tags.has(key)) tags.set(key, tag);
    } else {
      tags.delete(key);
    }
  };
  for (const tag of change.add ?? []) apply(tag, true);
  for (const tag of change.remove ?? []) apply(tag, false);
  return { tags: [...tags.values()], events };
}
