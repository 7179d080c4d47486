/**
 * The control group (issue #11 §7): a member is held out of the tag push when a hash of the
 * segment id and the customer's GID falls below the segment's `controlGroupPercent`. Pure and
 * deterministic, so a customer stays in (or out of) the control group across refreshes and
 * recomputes for as long as the percentage is unchanged, and raising the percentage only adds
 * hold-outs (the ones below the old cut stay below the new one).
 */

/** FNV-1a over the UTF-16 code units, then murmur3's finaliser so nearby ids spread evenly. */
export function holdOutHash(segmentId: number, customerShopifyId: string): number {
  const key = `${segmentId}:${customerShopifyId}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether the member is in the segment's control group; `percent` is 0–100. */
export function isControlMember(segmentId: number, customerShopifyId: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  // Basis points of the 32-bit range: 0.01 % resolution.
  return (holdOutHash(segmentId, customerShopifyId) % 10_000) < Math.round(Math.min(percent, 100) * 100);
}
