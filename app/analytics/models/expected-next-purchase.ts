/**
 * Expected time of a customer's next purchase.
 *
 * Choice (see docs/models/next-purchase.md): the horizon t* at which the expected number of
 * purchases *given the customer is still alive* reaches 1, E[Y(t*) | alive, x, T] = 1. It uses
 * the customer's posterior purchase rate (so frequent buyers get short horizons) and the
 * model's future drop-out, and it is monotone in t, so bisection finds it. Conditioning on
 * alive keeps it a statement about "if they come back"; whether they are alive is reported
 * separately by P(alive). Returns null when P(alive) is below `minProbabilityAlive` (the
 * date would be fiction) or when E[Y(t) | alive] never reaches 1 within `maxHorizon` (likely
 * to drop out before buying again).
 */

import type { BoundCountingModel } from "./fitted-counting-model.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";

export interface ExpectedNextPurchaseOptions {
  /** Below this P(alive) no date is given. Default 0.1. */
  readonly minProbabilityAlive?: number;
  /** Longest horizon searched, in model time units (required: it depends on the unit). */
  readonly maxHorizon: number;
}

export interface ExpectedNextPurchase {
  /** Time from the as-of date until the next purchase, in model time units. */
  readonly timeFromNow: number;
  readonly probabilityAlive: number;
}

/**
 * Time until E[purchases | alive] reaches 1, or null (see module comment).
 *
 * @throws InvalidModelInputError for an invalid (x, tx, T) or a non-positive maxHorizon.
 */
export function expectedNextPurchase(
  model: BoundCountingModel,
  x: number,
  tx: number,
  T: number,
  options: ExpectedNextPurchaseOptions,
): ExpectedNextPurchase | null {
  const minProbabilityAlive = options.minProbabilityAlive ?? 0.1;
  if (!(options.maxHorizon > 0)) throw new InvalidModelInputError("maxHorizon", null, `must be > 0 (got ${options.maxHorizon})`);
  const probabilityAlive = model.probabilityAlive(x, tx, T);
  if (probabilityAlive < minProbabilityAlive) return null;
  const excess = (t: number): number => model.expectedPurchasesGivenAlive(t, x, T) - 1;
  let high = options.maxHorizon;
  if (!(excess(high) >= 0)) return null;
  let low = 0;
  // Bisection to 1e-9 of the horizon (about 30 halvings; each is one expectation).
  while (high - low > 1e-9 * options.maxHorizon) {
    const mid = 0.5 * (low + high);
    if (excess(mid) >= 0) high = mid;
    else low = mid;
  }
  return { timeFromNow: 0.5 * (low + high), probabilityAlive };
}
