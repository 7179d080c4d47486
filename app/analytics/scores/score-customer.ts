/**
 * One customer's whole score row, computed alone: the per-order refresh (issue "Fresh after every
 * order") rescores a customer whose order just arrived without re-analysing the store.
 *
 * A customer's row depends on their own orders and on a few store-level cut-offs: the fitted
 * purchase model with its parameter draws and prediction grid, Gamma-Gamma, the R/F/M quintile
 * cut-offs, the VIP and frequent thresholds, the spend tiers, the shop's usual gap between
 * orders and the settings. The full analysis returns those as its {@link ScoringBasis};
 * {@link scoreCustomer} runs the very functions the full analysis runs per customer (facts,
 * lifecycle stage, `predictCustomers`, groups, customer types, `customerScoreRows`) on a
 * one-customer dataset with that basis. So scoring a customer alone with an analysis's basis
 * gives that customer's row of the analysis (score-customer.test.ts proves it over random stores).
 */
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { customerFactsAsOf } from "../customers/customer-facts";
import { DAYS_PER_TIME_UNIT, type TimeUnit } from "../customers/purchase-history-summary";
import { createDatasetBuilder, type PurchaseRow } from "../dataset/dataset-builder";
import { type CustomerGroupAssignment, customerGroups, type GroupSettings } from "../groups/customer-groups";
import type { SpendTierThresholds } from "../groups/spend-tier";
import { type LifecycleSettings, lifecycleStagesFromFacts } from "../lifecycle/lifecycle-stage";
import { bindCountingModel } from "../models/index.ts";
import { dailyHistories, type PredictionBasis, predictCustomers, probabilityAliveOfCustomer } from "../predictions/store-predictions";
import { summaryGridAt } from "../predictions/summary-grid";
import { type RfmCuts, rfmScoresByCuts } from "../rfm/rfm-scores";
import { customerTypes } from "../customer-types/customer-types";
import { customerScoreRows, type CustomerScoreRow } from "./customer-score-rows";

/** The store-level part of every customer's score row (JSON-safe: stored with the analysis). */
export interface ScoringBasis {
  /** The analysis date the cut-offs were computed at. */
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  readonly lifecycle: LifecycleSettings;
  /** The shop's median days between orders (one-time buyers' usual gap); null when no one bought twice. */
  readonly shopMedianGapDays: number | null;
  readonly groups: { readonly settings: GroupSettings } & Pick<CustomerGroupAssignment, "vipRevenueThreshold" | "frequentOrdersPerYearThreshold">;
  readonly rfm: RfmCuts;
  readonly spendTiers: SpendTierThresholds;
  /** Null when the store had too little data for predictions (rows then carry no model fields). */
  readonly predictions: PredictionBasis | null;
}

/**
 * The score row of the customer whose orders are `orders` (all with the same `customerId`), as
 * of `asOf` (YYYY-MM-DD, shop-local), under a store's `basis`; null when the customer has no
 * order up to that day (test and cancelled orders do not count, as in the analysis).
 *
 * @throws RangeError when the orders belong to more than one customer or to a guest.
 */
export function scoreCustomer(orders: readonly PurchaseRow[], basis: ScoringBasis, asOf: string, options: { utcOffsetMinutes?: number } = {}): CustomerScoreRow | null {
  const builder = createDatasetBuilder({ utcOffsetMinutes: options.utcOffsetMinutes ?? 0 });
  for (const order of orders) {
    if (order.customerId === null) throw new RangeError("scoreCustomer: a guest order has no customer to score");
    builder.add(order);
  }
  const dataset = builder.build();
  if (dataset.customerCount > 1) throw new RangeError(`scoreCustomer: orders of ${dataset.customerCount} customers; pass one customer's orders`);
  if (dataset.customerCount === 0) return null;
  const facts = { ...customerFactsAsOf(dataset, dayIndexFromIsoDate(asOf)), shopMedianGapDays: basis.shopMedianGapDays ?? NaN };
  if (facts.orders[0] === 0) return null;

  const stages = lifecycleStagesFromFacts(facts, basis.lifecycle);
  const rfm = rfmScoresByCuts(facts, basis.rfm);
  const groups = customerGroups(facts, basis.groups.settings, basis.groups);
  let predictions = null;
  const model = basis.predictions;
  if (model) {
    const tuples = summaryGridAt(dailyHistories(facts), DAYS_PER_TIME_UNIT[model.settings.timeUnit], model.binDays);
    const drawn = model.draws.map((params) => bindCountingModel(model.model, params));
    predictions = predictCustomers(facts, tuples, bindCountingModel(model.model, model.params), drawn, model.gammaGamma, model.settings, model.seasonalFactors, model.countIntervalsOverDraws).customers;
  }
  const types = customerTypes(facts, stages, (c) => groups.group[c] === 3, predictions ? (c) => probabilityAliveOfCustomer(predictions, c) : null);
  return customerScoreRows(dataset, facts, basis.timeUnit, stages, groups.group, types, rfm, predictions, basis.lifecycle, basis.spendTiers).row(0);
}
