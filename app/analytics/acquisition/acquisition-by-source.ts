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
  // Counted on a typed (month × name) table, not string-keyed maps: three passes over every
  // customer per analysis. Names are merged by their text afterwards ("unknown" may be interned too).
  const nameSlots = names.length + 1; // slot 0: no value
  const monthOfCustomer = new Int32Array(facts.customerCount);
  let firstMonth = Infinity;
  let lastMonth = -Infinity;
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const month = months.monthOf(dataset.orderDay[dataset.customerOrderStart[c]]);
    monthOfCustomer[c] = month;
    if (month < firstMonth) firstMonth = month;
    if (month > lastMonth) lastMonth = month;
  }
  if (firstMonth === Infinity) return { sources: [], months: [], years: [] };
  const counts = new Int32Array((lastMonth - firstMonth + 1) * nameSlots);
  for (let c = 0; c < facts.customerCount; c++) {
    if (facts.orders[c] === 0) continue;
    const s = orderValue[dataset.customerOrderStart[c]];
    counts[(monthOfCustomer[c] - firstMonth) * nameSlots + (s < 0 ? 0 : s + 1)]++;
  }
  const nameOfSlot = (slot: number) => (slot === 0 ? "unknown" : names[slot - 1]);
  const totals = new Map<string, number>();
  for (let m = 0; m <= lastMonth - firstMonth; m++) {
    for (let slot = 0; slot < nameSlots; slot++) {
      const n = counts[m * nameSlots + slot];
      if (n > 0) totals.set(nameOfSlot(slot), (totals.get(nameOfSlot(slot)) ?? 0) + n);
    }
  }
  const sources = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  const indexOfSource = new Map(sources.map((source, i) => [source, i]));
  const monthRows: { month: string; newCustomers: number[] }[] = [];
  for (let m = 0; m <= lastMonth - firstMonth; m++) {
    const newCustomers = sources.map(() => 0);
    let any = false;
    for (let slot = 0; slot < nameSlots; slot++) {
      const n = counts[m * nameSlots + slot];
      if (n === 0) continue;
      newCustomers[indexOfSource.get(nameOfSlot(slot))!] += n;
      any = true;
    }
    if (any) monthRows.push({ month: monthLabel(firstMonth + m), newCustomers });
  }
  const yearMap = new Map<string, number[]>();
  for (const row of monthRows) {
    const year = row.month.slice(0, 4);
    const acc = yearMap.get(year) ?? sources.map(() => 0);
    row.newCustomers.forEach((v, i) => (acc[i] += v));
    yearMap.set(year, acc);
  }
  return { sources, months: monthRows, years: [...yearMap.entries()].map(([year, newCustomers]) => ({ year, newCustomers })) };
}
