/**
 * "12 seconds ago" / "12 seconden geleden" / "for 12 sekunder siden": how long before `nowIso`
 * something happened, in the largest unit that fits, worded by the language's
 * Intl.RelativeTimeFormat. Both instants come from the server's answer, so the server's render
 * and the browser's hydration print the same text.
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

export function timeAgo(locale: string, thenIso: string, nowIso: string): string {
  const seconds = Math.max(0, Math.floor((Date.parse(nowIso) - Date.parse(thenIso)) / 1000));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
  for (const [unit, size] of UNITS) if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  return format.format(-seconds, "second");
}
