import type { CountingModelName } from "~/analytics/models/index.ts";

/** The churn models' names as the literature writes them (the same in every language). */
export const MODEL_NAMES: Record<CountingModelName, string> = { "bg-nbd": "BG/NBD", "mbg-nbd": "MBG/NBD", "pareto-nbd": "Pareto/NBD" };

/** "low – high", in any language; null when the two read the same (a range that says nothing a merchant can use). */
export function rangeText(low: string, high: string): string | null {
  return low === high ? null : `${low} – ${high}`;
}

/** "value (low – high)": a figure with its interval; the value alone when the interval reads as one figure ("0.1% (0.1% – 0.1%)"). */
export function withRange(value: string, low: string, high: string): string {
  const range = rangeText(low, high);
  return range === null ? value : `${value} (${range})`;
}

/** "start – end" of a week (dates already formatted). */
export function dateRange(start: string, end: string): string {
  return `${start} – ${end}`;
}
