import type { CountingModelName } from "~/analytics/models/index.ts";

/** The churn models' names as the literature writes them (the same in every language). */
export const MODEL_NAMES: Record<CountingModelName, string> = { "bg-nbd": "BG/NBD", "mbg-nbd": "MBG/NBD", "pareto-nbd": "Pareto/NBD" };

/** "value (low – high)": a figure with its interval, in any language. */
export function withRange(value: string, low: string, high: string): string {
  return `${value} (${low} – ${high})`;
}

/** "start – end" of a week (dates already formatted). */
export function dateRange(start: string, end: string): string {
  return `${start} – ${end}`;
}
