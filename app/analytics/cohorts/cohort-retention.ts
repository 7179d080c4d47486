import { monthLabel } from "../calendar/calendar-day";
import type { MonthOfDayTable } from "../calendar/month-of-day-table";
import type { CustomerFacts } from "../customers/customer-facts";
import type { StoreDataset } from "../dataset/dataset-builder";

/** One cohort-month cell; `null` share when the month has not ended by the as-of date. */
export interface CohortCell {
  readonly monthsAfter: number;
  readonly customers: number | null;
  readonly share: number | null;
  readonly incomplete: boolean;
}

export interface Cohort {
  /** `YYYY-MM` of the first order. */
  readonly cohort: string;
  readonly size: number;
  /** Share with ≥ 1 order in calendar month cohort + k (k = 0 … maxMonths). */
  readonly retention: readonly CohortCell[];
  /** Cumulative share who ordered again (a second purchase event) by the end of month cohort + k. */
  readonly repeatedBy: readonly CohortCell[];
}

/**
 * Monthly cohorts (METRICS.md "Cohorts"): cohort = month of first order. Months that have not
 * ended by the as-of day are marked incomplete with `share: null`, never shown as 0 %.
 */
export function cohortRetention(dataset: StoreDataset, facts: CustomerFacts, months: MonthOfDayTable, lastCompleteMonth: number, maxMonths = 12): Cohort[] {
  let firstMonth = Infinity;
  for (let c = 0; c < facts.customerCount; c++) if (facts.orders[c] > 0) firstMonth = Math.min(firstMonth, months.monthOf(facts.firstDay[c]));
  if (firstMonth === Infinity) return [];
  const lastMonth = months.monthOf(facts.asOfDay);
  const cohorts = lastMonth - firstMonth + 1;
  const width = maxMonths + 1;
  const size = new Int32Array(cohorts);
  const active = new Int32Array(cohorts * width);
  const repeated = new Int32Array(cohorts * width);
  const { customerOrderStart, orderDay } = dataset;
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const start = customerOrderStart[c];
    const cohortMonth = months.monthOf(orderDay[start]);
    const row = (cohortMonth - firstMonth) * width;
    size[cohortMonth - firstMonth]++;
    let previousK = -1;
    let secondEventK = -1;
    for (let i = start; i < facts.orderEnd[c]; i++) {
      const k = months.monthOf(orderDay[i]) - cohortMonth;
      if (k > maxMonths) break;
      if (k !== previousK) {
        active[row + k]++;
        previousK = k;
      }
      if (secondEventK === -1 && orderDay[i] !== orderDay[start]) secondEventK = k;
    }
    if (secondEventK !== -1) for (let k = secondEventK; k <= maxMonths; k++) repeated[row + k]++;
  }
  const result: Cohort[] = [];
  for (let h = 0; h < cohorts; h++) {
    const cohortMonth = firstMonth + h;
    const cells = (counts: Int32Array): CohortCell[] => {
      const out: CohortCell[] = [];
      for (let k = 0; k <= maxMonths && cohortMonth + k <= lastMonth; k++) {
        const incomplete = cohortMonth + k > lastCompleteMonth;
        const count = counts[h * width + k];
        out.push({ monthsAfter: k, customers: incomplete ? null : count, share: incomplete || size[h] === 0 ? null : count / size[h], incomplete });
      }
      return out;
    };
    result.push({ cohort: monthLabel(cohortMonth), size: size[h], retention: cells(active), repeatedBy: cells(repeated) });
  }
  return result;
}
