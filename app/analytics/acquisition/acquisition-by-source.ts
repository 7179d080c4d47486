import { monthLabel } from "../calendar/calendar-day";
import type { MonthOfDayTable } from "../calendar/month-of-day-table";
import type { CustomerFacts } from "../customers/customer-facts";
import type { StoreDataset } from "../dataset/dataset-builder";

export interface AcquisitionBySource {
  /** Sources ordered by new customers, descending ("unknown" when the first order has none). */
  readonly sources: string[];
  /** New customers per month (`YYYY-MM`) per source, aligned with `sources`. */
  readonly months: { month: string; newCustomers: number[] }[];
  readonly years: { year: string; newCustomers: number[] }[];
}

/** F13: new customers per month and year by the source of their first order. */
export function acquisitionBySource(dataset: StoreDataset, facts: CustomerFacts, months: MonthOfDayTable): AcquisitionBySource {
  return acquisitionByOrderAttribute(dataset, facts, months, dataset.orderSource, dataset.sources);
}

/** New customers per month and year by the sales channel of their first order. */
export function acquisitionByChannel(dataset: StoreDataset, facts: CustomerFacts, months: MonthOfDayTable): AcquisitionBySource {
  return acquisitionByOrderAttribute(dataset, facts, months, dataset.orderChannel, dataset.channels);
}

/** New customers per month and year by the first visit's UTM source (else referring source) before their first order. */
export function acquisitionByFirstVisit(dataset: StoreDataset, facts: CustomerFacts, months: MonthOfDayTable): AcquisitionBySource {
  return acquisitionByOrderAttribute(dataset, facts, months, dataset.orderFirstVisit, dataset.firstVisits);
}

/** New customers per month and year by an interned attribute of their first order ("unknown" when it has none). */
function acquisitionByOrderAttribute(dataset: StoreDataset, facts: CustomerFacts, months: MonthOfDayTable, orderValue: Int32Array, names: readonly string[]): AcquisitionBySource {
  const perMonth = new Map<number, Map<string, number>>();
  const totals = new Map<string, number>();
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const first = dataset.customerOrderStart[c];
    const s = orderValue[first];
    const source = s < 0 ? "unknown" : names[s];
    const month = months.monthOf(dataset.orderDay[first]);
    let bySource = perMonth.get(month);
    if (!bySource) perMonth.set(month, (bySource = new Map()));
    bySource.set(source, (bySource.get(source) ?? 0) + 1);
    totals.set(source, (totals.get(source) ?? 0) + 1);
  }
  const sources = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const monthKeys = [...perMonth.keys()].sort((a, b) => a - b);
  const monthRows = monthKeys.map((m) => ({ month: monthLabel(m), newCustomers: sources.map((s) => perMonth.get(m)!.get(s) ?? 0) }));
  const yearMap = new Map<string, number[]>();
  for (const row of monthRows) {
    const year = row.month.slice(0, 4);
    const acc = yearMap.get(year) ?? sources.map(() => 0);
    row.newCustomers.forEach((v, i) => (acc[i] += v));
    yearMap.set(year, acc);
  }
  return { sources, months: monthRows, years: [...yearMap.entries()].map(([year, newCustomers]) => ({ year, newCustomers })) };
}
