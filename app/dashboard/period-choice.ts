import { PERIOD_PRESETS, type PeriodPreset } from "~/analytics/metrics/analysis-period";

/** The dashboard's period, as the merchant chose it in the page's URL (`?period=…&from=…&to=…`). */
export type PeriodChoice = { kind: "preset"; preset: PeriodPreset } | { kind: "custom"; from: string; to: string };

export const DEFAULT_PERIOD: PeriodPreset = "90d";

const isPreset = (value: string): value is PeriodPreset => (PERIOD_PRESETS as readonly string[]).includes(value);

/**
 * Reads the period from the URL: no `period` is the default (90 days); `custom` takes `from`
 * and `to` as given (their validity is judged against the analysis, which knows its as-of day).
 * @returns null for a `period` that is not one of the choices (the page answers 400).
 */
export function parsePeriodChoice(params: URLSearchParams): PeriodChoice | null {
  const period = params.get("period");
  if (period === null || period === "") return { kind: "preset", preset: DEFAULT_PERIOD };
  if (isPreset(period)) return { kind: "preset", preset: period };
  if (period === "custom") return { kind: "custom", from: (params.get("from") ?? "").trim(), to: (params.get("to") ?? "").trim() };
  return null;
}
