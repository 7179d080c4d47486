/** One row of seed 002's "active customers now vs 1, 3, 6 and 12 months ago". */
export interface ActiveCustomersRow {
  monthsAgo: number;
  date: string;
  /** null where the shop's order history does not reach back to the date ("n/a", never 0). */
  active: number | null;
  /** Relative change from then to now; null where there is nothing to compare with. */
  changeToNow: number | null;
}

/**
 * The stored comparison, with the dates before the shop's first order marked as unknown: a shop
 * that started in March had no active customers "12 months ago" because it had no history, not
 * because it lost them. `firstOrderMonth` is `YYYY-MM` (null: no orders at all).
 */
export function activeCustomersRows(
  stored: readonly { monthsAgo: number; date: string; active: number; changeToNow: number | null }[],
  firstOrderMonth: string | null,
): ActiveCustomersRow[] {
  const historyStart = firstOrderMonth === null ? null : `${firstOrderMonth}-01`;
  return stored.map((row) => {
    const reaches = historyStart !== null && row.date >= historyStart;
    return { monthsAgo: row.monthsAgo, date: row.date, active: reaches ? row.active : null, changeToNow: reaches ? row.changeToNow : null };
  });
}

/** Time frames of the lifecycle bars (seed 002: the default is all). */
export const LIFECYCLE_FRAMES = ["3m", "6m", "12m", "all"] as const;
export type LifecycleFrame = (typeof LIFECYCLE_FRAMES)[number];

/**
 * The lifecycle points (oldest first) inside `frame`: the last 3, 6 or 12 months (plus the
 * point they start from), or all stored months from the first one with a customer — months
 * before the shop's first order are not history, so they are not drawn as zeros.
 */
export function lifecyclePointsInFrame<T extends { counts: Record<string, number> }>(points: readonly T[], frame: LifecycleFrame): T[] {
  const firstWithCustomers = points.findIndex((p) => Object.values(p.counts).some((n) => n > 0));
  if (firstWithCustomers < 0) return [];
  const history = points.slice(firstWithCustomers);
  if (frame === "all") return history;
  const months = Number(frame.slice(0, -1));
  return history.slice(-(months + 1));
}
