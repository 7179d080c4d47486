import { MS_PER_DAY, weekdayOfDay } from "../calendar/calendar-day";
import type { StoreDataset } from "../dataset/dataset-builder";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export interface WeekdayHourMatrix {
  /** orders[weekday][hour], weekday 0 = Monday, in the shop's local time. */
  readonly orders: number[][];
  readonly revenue: number[][];
  /** False when every order is at local midnight (dates without times, e.g. CDNOW): read weekdays only. */
  readonly hasTimeOfDay: boolean;
}

/** F12 when customers buy: orders and revenue by local weekday × hour, up to the as-of day (guests included). */
export function weekdayHourMatrix(dataset: StoreDataset, asOfDay: number): WeekdayHourMatrix {
  const orders = Array.from({ length: 7 }, () => new Array(24).fill(0));
  const revenue = Array.from({ length: 7 }, () => new Array(24).fill(0));
  let hasTime = false;
  for (let i = 0; i < dataset.orderCount; i++) {
    const day = dataset.orderDay[i];
    if (day > asOfDay) continue;
    const msInDay = dataset.orderLocalMs[i] - day * MS_PER_DAY;
    const hour = Math.floor(msInDay / 3_600_000);
    if (msInDay !== 0) hasTime = true;
    const w = weekdayOfDay(day);
    orders[w][hour]++;
    revenue[w][hour] += dataset.orderRevenue[i];
  }
  return { orders, revenue, hasTimeOfDay: hasTime };
}
