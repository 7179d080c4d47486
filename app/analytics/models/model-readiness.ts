/**
 * Whether the shop has enough data for the predictive models (docs/metrics.md, "Too little
 * data"): with too few repeat customers or under 90 days of history the fits are unstable, so
 * the app shows descriptive metrics only and says why. The function's default is the plain
 * maximum-likelihood floor of ~200 repeat customers; the store analysis passes 8, since small
 * stores are fitted with a prior (docs/models/prior.md).
 */

import { InvalidModelInputError } from "./invalid-model-input-error.ts";

export interface ModelReadinessInput {
  /** Customers with at least one repeat purchase event. */
  readonly repeatCustomers: number;
  /** Days from the first purchase event in the shop to the as-of date. */
  readonly historyDays: number;
  /** Default 200. */
  readonly minRepeatCustomers?: number;

  /** Default 90. */
  readonly minHistoryDays?: number;
}

export type ModelReadinessReason =
  | { readonly kind: "too-few-repeat-customers"; readonly repeatCustomers: number; readonly required: number }
  | { readonly kind: "history-too-short"; readonly historyDays: number; readonly required: number };

export type ModelReadiness =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** the first failing check (repeat customers before history) */
      readonly reason: ModelReadinessReason;
      readonly reasons: readonly ModelReadinessReason[];
    };

/**
 * Checks the thresholds; data only, no wording (the UI/CLI renders the reason).
 *
 * @example assessModelReadiness({ repeatCustomers: 120, historyDays: 400 }) // { ok: false, reason: { kind: "too-few-repeat-customers", repeatCustomers: 120, required: 200 }, … }
 * @throws InvalidModelInputError for negative or non-finite counts.
 */
export function assessModelReadiness(input: ModelReadinessInput): ModelReadiness {
  const minRepeatCustomers = input.minRepeatCustomers ?? 200;
  const minHistoryDays = input.minHistoryDays ?? 90;
  for (const [field, value] of [
    ["repeatCustomers", input.repeatCustomers],
    ["historyDays", input.historyDays],
    ["minRepeatCustomers", minRepeatCustomers],
    ["minHistoryDays", minHistoryDays],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new InvalidModelInputError(field, null, `must be a finite number ≥ 0 (got ${value})`);
  }
  const reasons: ModelReadinessReason[] = [];
  if (input.repeatCustomers < minRepeatCustomers) {
    reasons.push({ kind: "too-few-repeat-customers", repeatCustomers: input.repeatCustomers, required: minRepeatCustomers });
  }
  if (input.historyDays < minHistoryDays) {
    reasons.push({ kind: "history-too-short", historyDays: input.historyDays, required: minHistoryDays });
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reason: reasons[0], reasons };
}
