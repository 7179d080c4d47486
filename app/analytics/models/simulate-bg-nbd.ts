/**
 * Simulates purchase histories from the BG/NBD (and MBG/NBD) generative story, for recovery
 * tests and back-test checks. Deterministic for a seeded `rng`.
 *
 * BG/NBD (FHL 2005 §2): λ ~ Gamma(r, α), p ~ Beta(a, b); inter-purchase times ~ Exp(λ);
 * after each repeat purchase the customer drops out with probability p. MBG/NBD also tosses
 * the coin right after the first purchase.
 */

import { sampleBeta, sampleExponential, sampleGamma, type Rng } from "../math/seeded-rng.ts";
import type { BgNbdParams } from "./bg-nbd.ts";
import type { CustomerPurchaseSummary } from "./purchase-summary.ts";

export interface SimulateOptions {
  /** Observation length per customer (time from the first purchase to the end). */
  readonly observationLengths: readonly number[];
  readonly rng: Rng;
  /** Also allow drop-out right after the first purchase (MBG/NBD). Default false. */
  readonly dropOutAfterFirst?: boolean;
}

/** Repeat purchase times (first purchase at 0 excluded) per customer, within each observation length. */
export function simulateBgNbdPurchaseTimes(params: BgNbdParams, options: SimulateOptions): number[][] {
  const { rng } = options;
  return options.observationLengths.map((length) => {
    const lambda = sampleGamma(rng, params.r, params.alpha);
    const p = sampleBeta(rng, params.a, params.b);
    const times: number[] = [];
    if (options.dropOutAfterFirst && rng() < p) return times;
    let t = 0;
    for (;;) {
      t += sampleExponential(rng, lambda);
      if (t > length) break;
      times.push(t);
      if (rng() < p) break;
    }
    return times;
  });
}

/** (x, tx, T) of one customer at age T from their repeat purchase times. */
export function summariseAt(times: readonly number[], T: number): CustomerPurchaseSummary {
  const seen = times.filter((t) => t <= T);
  return { x: seen.length, tx: seen.length > 0 ? seen[seen.length - 1] : 0, T };
}
