import type { CustomerFacts } from "../customers/customer-facts";
import { median, medianOfHistogram } from "../customers/customer-facts";
import type { StoreDataset } from "../dataset/dataset-builder";

/**
 * Lifecycle stage (METRICS.md "Lifecycle stage", seed 002). `gap` = days since the last order,
 * `cadence` = the customer's median days between purchase events, or the shop's median
 * inter-purchase time for customers with one purchase event:
 * new: first order within the last `newCustomerDays` days; active: gap ≤ activeFactor × cadence;
 * slipping away: ≤ lostFactor × cadence; lost: beyond. The names are the Settings page's
 * (`newCustomerDays`, `lifecycleActiveFactor`, `lifecycleLostFactor`): app/settings/analysis-options.ts.
 */
export type LifecycleStage = "new" | "active" | "slipping-away" | "lost";

export interface LifecycleSettings {
  /** A customer whose first order is within this many days is new. Default 30 days. */
  readonly newCustomerDays: number;
  /** Active while the days since the last order are at most this × the usual gap. Default 1.5. */
  readonly activeFactor: number;
  /** Default 2. */
  readonly lostFactor: number;
  /** Cadence used when the shop has no repeat purchase at all (default 365 days). */
  readonly fallbackCadenceDays: number;
}

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  newCustomerDays: 30,
  activeFactor: 1.5,
  lostFactor: 2,
  fallbackCadenceDays: 365,
};

/** Stage codes stored in Uint8Arrays; 0 = no order yet at that date. */
export const STAGE_NONE = 0;
export const STAGE_NEW = 1;
export const STAGE_ACTIVE = 2;
export const STAGE_SLIPPING = 3;
export const STAGE_LOST = 4;
export const STAGE_NAMES: readonly (LifecycleStage | null)[] = [null, "new", "active", "slipping-away", "lost"];

/**
 * Stage code for one customer.
 * @param daysSinceFirst days from the first order to the as-of day (0 = today)
 * @param gapDays days from the last order to the as-of day
 * @param cadenceDays customer's median gap, NaN when they have one purchase event
 * @param shopCadenceDays the shop's median gap (NaN when no repeat purchase exists)
 */
export function lifecycleStageCode(daysSinceFirst: number, gapDays: number, cadenceDays: number, shopCadenceDays: number, settings: LifecycleSettings): number {
  // "within the last 30 days": the as-of day and the 29 before it.
  if (daysSinceFirst < settings.newCustomerDays) return STAGE_NEW;
  const cadence = usualGapDays(cadenceDays, shopCadenceDays, settings);
  if (gapDays <= settings.activeFactor * cadence) return STAGE_ACTIVE;
  if (gapDays <= settings.lostFactor * cadence) return STAGE_SLIPPING;
  return STAGE_LOST;
}

/**
 * The usual gap a customer's silence is compared with: their own median gap, the shop's median
 * gap for a one-time buyer, or the fallback when the shop has no repeat purchase at all. The
 * stage and its reason (lifecycle-reason.ts) both use this one number.
 */
export function usualGapDays(cadenceDays: number, shopCadenceDays: number, settings: Pick<LifecycleSettings, "fallbackCadenceDays">): number {
  return Number.isNaN(cadenceDays) ? (Number.isNaN(shopCadenceDays) ? settings.fallbackCadenceDays : shopCadenceDays) : cadenceDays;
}

/** Stage codes of every customer from the as-of facts (0 for customers without orders yet). */
export function lifecycleStagesFromFacts(facts: CustomerFacts, settings: LifecycleSettings): Uint8Array {
  const stages = new Uint8Array(facts.customerCount);
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    stages[c] = lifecycleStageCode(facts.asOfDay - facts.firstDay[c], facts.asOfDay - facts.lastDay[c], facts.cadenceDays[c], facts.shopMedianGapDays, settings);
  }
  return stages;
}

/**
 * Stage codes of every customer as they were at the end of `day` (only orders up to `day`
 * count, the shop median included). A lean pass used for the series and churn snapshots.
 */
export function lifecycleStagesAt(dataset: StoreDataset, day: number, settings: LifecycleSettings): Uint8Array {
  const n = dataset.customerCount;
  const { customerOrderStart, orderDay } = dataset;
  const stages = new Uint8Array(n);
  const cadence = new Float64Array(n);
  const hist: number[] = [];
  let total = 0;
  let scratch = new Float64Array(64);
  for (let c = 0; c < n; c++) {
    const start = customerOrderStart[c];
    let stop = customerOrderStart[c + 1];
    while (stop > start && orderDay[stop - 1] > day) stop--;
    if (stop === start) continue;
    if (stop - start > scratch.length) scratch = new Float64Array(2 * (stop - start));
    let gaps = 0;
    let prev = orderDay[start];
    for (let i = start + 1; i < stop; i++) {
      const d = orderDay[i];
      if (d !== prev) {
        const gap = d - prev;
        scratch[gaps++] = gap;
        hist[gap] = (hist[gap] ?? 0) + 1;
        total++;
        prev = d;
      }
    }
    cadence[c] = gaps === 0 ? NaN : median(scratch, gaps);
    stages[c] = 255; // has orders; classified below once the shop median is known
  }
  const shopMedian = medianOfHistogram(hist, total);
  for (let c = 0; c < n; c++) {
    if (stages[c] === 0) continue;
    const start = customerOrderStart[c];
    let stop = customerOrderStart[c + 1];
    while (orderDay[stop - 1] > day) stop--;
    stages[c] = lifecycleStageCode(day - orderDay[start], day - orderDay[stop - 1], cadence[c], shopMedian, settings);
  }
  return stages;
}

/** Counts of each stage in a stage-code array. */
export function countStages(stages: Uint8Array): Record<LifecycleStage, number> {
  const counts = [0, 0, 0, 0, 0];
  for (let c = 0; c < stages.length; c++) counts[stages[c]]++;
  return { new: counts[STAGE_NEW], active: counts[STAGE_ACTIVE], "slipping-away": counts[STAGE_SLIPPING], lost: counts[STAGE_LOST] };
}
