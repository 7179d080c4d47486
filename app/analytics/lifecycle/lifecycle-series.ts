import { isoDateFromDayIndex, shiftDayByMonths } from "../calendar/calendar-day";
import type { StoreDataset } from "../dataset/dataset-builder";
import { countStages, lifecycleStagesAt, type LifecycleSettings, type LifecycleStage, STAGE_LOST, STAGE_NONE } from "./lifecycle-stage";

/** Lifecycle stages of all customers at one date. */
export interface LifecycleSnapshot {
  readonly day: number;
  readonly stages: Uint8Array;
}

/**
 * Snapshots at the as-of day and at the same day 1, 2, … `months` months earlier (rolling
 * months, so "1 month ago" is exactly one calendar month before A). Index k = k months ago.
 */
export function lifecycleSnapshots(dataset: StoreDataset, asOfDay: number, months: number, settings: LifecycleSettings): LifecycleSnapshot[] {
  const snapshots: LifecycleSnapshot[] = [];
  for (let k = 0; k <= months; k++) {
    const day = shiftDayByMonths(asOfDay, k);
    snapshots.push({ day, stages: lifecycleStagesAt(dataset, day, settings) });
  }
  return snapshots;
}

export interface LifecycleSeriesPoint {
  readonly date: string;
  readonly counts: Record<LifecycleStage, number>;
}

/** F3 lifecycle stacked bars: stage counts per monthly snapshot, oldest first. */
export function lifecycleSeries(snapshots: readonly LifecycleSnapshot[]): LifecycleSeriesPoint[] {
  return [...snapshots].reverse().map((s) => ({ date: isoDateFromDayIndex(s.day), counts: countStages(s.stages) }));
}

export interface MonthlyChurn {
  /** Month window (start, end] as ISO dates. */
  readonly start: string;
  readonly end: string;
  /** Customers not lost at the start (with at least one order by then). */
  readonly atRiskBase: number;
  /** Of those, lost at the end of the month. */
  readonly becameLost: number;
  /** becameLost ÷ atRiskBase, null when the base is empty. */
  readonly rate: number | null;
}

/**
 * Monthly churn (METRICS.md "churn rate (monthly)"): customers who became lost during the month
 * ÷ customers not lost at its start. Stages are read at the two month boundaries, so a customer
 * who lapsed and came back within the month is not counted. Newest month first (index k =
 * the month ending k months ago).
 */
export function monthlyChurn(snapshots: readonly LifecycleSnapshot[]): MonthlyChurn[] {
  const result: MonthlyChurn[] = [];
  for (let k = 0; k + 1 < snapshots.length; k++) {
    const end = snapshots[k].stages;
    const start = snapshots[k + 1].stages;
    let base = 0;
    let lost = 0;
    for (let c = 0; c < start.length; c++) {
      if (start[c] === STAGE_NONE || start[c] === STAGE_LOST) continue;
      base++;
      if (end[c] === STAGE_LOST) lost++;
    }
    result.push({
      start: isoDateFromDayIndex(snapshots[k + 1].day),
      end: isoDateFromDayIndex(snapshots[k].day),
      atRiskBase: base,
      becameLost: lost,
      rate: base === 0 ? null : lost / base,
    });
  }
  return result;
}

export interface ActiveCustomersComparison {
  readonly monthsAgo: number;
  readonly date: string;
  /** Customers buying regularly at that date: lifecycle new or active. */
  readonly active: number;
  /** Relative change from then to now ((now − then) ÷ then), null when then = 0. */
  readonly changeToNow: number | null;
}

/** F3 "active customers now vs 1, 3, 6 and 12 months ago" (seed 002 "Aktive kunder"). */
export function activeCustomersComparison(snapshots: readonly LifecycleSnapshot[], monthsAgo: readonly number[] = [0, 1, 3, 6, 12]): ActiveCustomersComparison[] {
  const activeAt = (k: number) => {
    const counts = countStages(snapshots[k].stages);
    return counts.new + counts.active;
  };
  const now = activeAt(0);
  return monthsAgo
    .filter((k) => k < snapshots.length)
    .map((k) => {
      const then = activeAt(k);
      return { monthsAgo: k, date: isoDateFromDayIndex(snapshots[k].day), active: then, changeToNow: then === 0 ? null : (now - then) / then };
    });
}
