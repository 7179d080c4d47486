import type { Translate } from "~/i18n/translate";
import type { SegmentLabel } from "~/segments/builtin-segments";

/** What the merchant sees as a segment's name: a built-in's in the admin's language, their own as they wrote it. */
export function segmentName(t: Translate, segment: { name: string; label: SegmentLabel | null }): string {
  if (!segment.label) return segment.name;
  const values = Object.fromEntries(Object.entries(segment.label.values ?? {}).map(([name, key]) => [name, t(key)]));
  return t(segment.label.key, values);
}
