import type { CountingModelName } from "~/analytics/models/index.ts";

/** The churn models' names as the literature writes them (the same in every language). */
export const MODEL_NAMES: Record<CountingModelName, string> = { "bg-nbd": "BG/NBD", "mbg-nbd": "MBG/NBD", "pareto-nbd": "Pareto/NBD" };

/**
 * "value (low – high)": a figure with its interval, in any language; the value alone when the
 * interval reads as the value itself ("0.1% (0.1% – 0.1%)" says nothing a merchant can use).
 */
export function withRange(value: string, low: string, high: string): string {
  return low === value && high === value ? value : `${value} (${low} – ${high})`;
}

/** "start – end" of a week (dates already formatted). */
export function dateRange(start: string, end: string): string {
  return `${start} – ${end}`;
}
