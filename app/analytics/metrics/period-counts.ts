import type { StoreDataset } from "../dataset/dataset-builder";

/** Raw counts behind the F2 key metrics for a period `(startDay, endDay]`. */
export interface PeriodCounts {
  /** Distinct customers with ≥ 1 order in the period. */
  readonly customersInPeriod: number;
  /** Customers whose first-ever order is in the period. */
  readonly newCustomers: number;
  /** Customers with ≥ 1 / ≥ 2 orders up to endDay, and their revenue. */
  readonly customersToDate: number;
  readonly repeatCustomersToDate: number;
  readonly customerRevenueToDate: number;
  /** Customers who ordered in the previous period, and of those who ordered again in this one. */
  readonly customersInPrevious: number;
  readonly retainedFromPrevious: number;
  readonly customerOrders: number;
  readonly guestOrders: number;
  readonly revenue: number;
}

/**
 * One pass over the customer-sorted orders counting everything F2 needs for one period.
 * `previousStartDay` null: no previous period (retention counts stay 0).
 */
export function periodCounts(dataset: StoreDataset, startDay: number, endDay: number, previousStartDay: number | null): PeriodCounts {
  const { customerOrderStart, orderDay, orderRevenue } = dataset;
  let customersInPeriod = 0;
  let newCustomers = 0;
  let customersToDate = 0;
  let repeatToDate = 0;
  let revenueToDate = 0;
  let inPrevious = 0;
  let retained = 0;
  let customerOrders = 0;
  let revenue = 0;
  const prevStart = previousStartDay ?? Infinity;
  for (let c = 0; c < dataset.customerCount; c++) {
    const start = customerOrderStart[c];
    const end = customerOrderStart[c + 1];
    let toDate = 0;
    let inP = 0;
    let inPrev = 0;
    for (let i = start; i < end; i++) {
      const day = orderDay[i];
      if (day > endDay) break;
      toDate++;
      revenueToDate += orderRevenue[i];
      if (day > startDay) {
        inP++;
        revenue += orderRevenue[i];
      } else if (day > prevStart) inPrev++;
    }
    if (toDate === 0) continue;
    customersToDate++;
    if (toDate >= 2) repeatToDate++;
    if (inP > 0) customersInPeriod++;
    if (orderDay[start] > startDay) newCustomers++;
    if (inPrev > 0) {
      inPrevious++;
      if (inP > 0) retained++;
    }
    customerOrders += inP;
  }
  let guestOrders = 0;
  for (let i = dataset.guestOrderStart; i < dataset.orderCount; i++) {
    const day = orderDay[i];
    if (day > startDay && day <= endDay) {
      guestOrders++;
      revenue += orderRevenue[i];
    }
  }
  return {
    customersInPeriod,
    newCustomers,
    customersToDate,
    repeatCustomersToDate: repeatToDate,
    customerRevenueToDate: revenueToDate,
    customersInPrevious: inPrevious,
    retainedFromPrevious: retained,
    customerOrders,
    guestOrders,
    revenue,
  };
}
