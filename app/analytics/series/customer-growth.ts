import { monthLabel } from "../calendar/calendar-day";
import type { MonthOfDayTable } from "../calendar/month-of-day-table";
import type { CustomerFacts } from "../customers/customer-facts";
import type { StoreDataset } from "../dataset/dataset-builder";

export interface CustomerGrowthPoint {
  /** `YYYY-MM`. */
  readonly month: string;
  /** Customers whose first order is in the month. */
  readonly newCustomers: number;
  /** Customers with a first order up to the end of the month (cumulative). */
  readonly totalCustomers: number;
  /** Customers with at least one order in the month. */
  readonly orderingCustomers: number;
  /** The month has not ended by the as-of date. */
  readonly incomplete: boolean;
}

/**
 * F3 customer growth line: new and total customers per calendar month, from the month of the
 * first order to the as-of month.
 */
export function customerGrowth(dataset: StoreDataset, facts: CustomerFacts, months: MonthOfDayTable, asOfMonthComplete: boolean): CustomerGrowthPoint[] {
  let firstMonth = Infinity;
  for (let c = 0; c < facts.customerCount; c++) if (facts.orders[c] > 0) firstMonth = Math.min(firstMonth, months.monthOf(facts.firstDay[c]));
  if (firstMonth === Infinity) return [];
  const lastMonth = months.monthOf(facts.asOfDay);
  const span = lastMonth - firstMonth + 1;
  const fresh = new Int32Array(span);
  const ordering = new Int32Array(span);
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    fresh[months.monthOf(facts.firstDay[c]) - firstMonth]++;
    let previous = -1;
    for (let i = dataset.customerOrderStart[c]; i < facts.orderEnd[c]; i++) {
      const m = months.monthOf(dataset.orderDay[i]) - firstMonth;
      if (m !== previous) {
        ordering[m]++;
        previous = m;
      }
    }
  }
  const points: CustomerGrowthPoint[] = [];
  let total = 0;
  for (let k = 0; k < span; k++) {
    total += fresh[k];
    points.push({ month: monthLabel(firstMonth + k), newCustomers: fresh[k], totalCustomers: total, orderingCustomers: ordering[k], incomplete: k === span - 1 && !asOfMonthComplete });
  }
  return points;
}
