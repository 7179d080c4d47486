import { isoDateFromDayIndex } from "../calendar/calendar-day";
import type { CustomerFacts } from "../customers/customer-facts";
import { DAYS_PER_TIME_UNIT, type TimeUnit } from "../customers/purchase-history-summary";
import type { StoreDataset } from "../dataset/dataset-builder";
import { CUSTOMER_GROUPS, type CustomerGroup } from "../groups/customer-groups";
import { type SpendTier, spendTierOf, type SpendTierThresholds } from "../groups/spend-tier";
import { type LifecycleReason, lifecycleReason } from "../lifecycle/lifecycle-reason";
import { type LifecycleSettings, type LifecycleStage, STAGE_NAMES, usualGapDays } from "../lifecycle/lifecycle-stage";
import type { CustomerPredictions } from "../predictions/store-predictions";
import { RFM_GROUPS, type RfmGroup } from "../rfm/rfm-group";
import type { RfmScores } from "../rfm/rfm-scores";
import { CUSTOMER_TYPES, type CustomerType } from "../customer-types/customer-types";

/** Churn-risk band from P(alive): high below 0.3, medium below 0.7, low otherwise. */
export type ChurnRisk = "low" | "medium" | "high";
export const CHURN_RISKS: readonly ChurnRisk[] = ["low", "medium", "high"];

export function churnRiskBand(pAlive: number): ChurnRisk | null {
  if (Number.isNaN(pAlive)) return null;
  return pAlive < 0.3 ? "high" : pAlive < 0.7 ? "medium" : "low";
}

/**
 * One row per customer: what the CLI writes and what the app stores as the customer's profile
 * (app/snapshots/write-analysis.server.ts maps it to `CustomerProfile`).
 * Model fields are null when the store has too little data for predictions.
 */
export interface CustomerScoreRow {
  customer_id: string;
  orders: number;
  /** Repeat purchase events, time first→last event, time first event→as-of, in `time_unit`s. */
  x: number;
  t_x: number;
  T: number;
  p_alive: number | null;
  /** Interval of P(alive) from the parameter uncertainty (`models.totals.intervalLevel`). */
  p_alive_low: number | null;
  p_alive_high: number | null;
  /** Expected orders in the next `horizon` time units. */
  expected_purchases: number | null;
  expected_purchases_low: number | null;
  expected_purchases_high: number | null;
  expected_spend: number | null;
  clv: number | null;
  clv_low: number | null;
  clv_high: number | null;
  churn_risk: ChurnRisk | null;
  next_order_date: string | null;
  /**
   * Interval of the next order's date from the predictive distribution of the time to the next
   * purchase given the customer is alive; `next_order_date_high` is null when it lies more than
   * a year ahead (docs/models/intervals.md).
   */
  next_order_date_low: string | null;
  next_order_date_high: string | null;
  lifecycle: LifecycleStage;
  group: CustomerGroup;
  customer_type: CustomerType;
  spend_tier: SpendTier;
  r: number;
  f: number;
  m: number;
  rfm_group: RfmGroup;
  total_spent: number;
  aov: number;
  first_order_date: string;
  last_order_date: string;
  days_since_last_order: number;
  days_since_first_order: number;
  /** The usual days between purchases the lifecycle stage compares the silence with. */
  usual_gap_days: number;
  /** Source of the first order (UTM source, else the order's source), null when unknown. */
  acquisition_source: string | null;
  /** Why the lifecycle stage is what it is, as data, from the same numbers; rendered by the UI/CLI. */
  reason: LifecycleReason;
}

/** Column order of the scores CSV (the first 15 are the ones the CLI promises). */
export const SCORE_COLUMNS: readonly (keyof CustomerScoreRow)[] = [
  "customer_id", "orders", "x", "t_x", "T", "p_alive", "expected_purchases", "expected_spend", "clv", "lifecycle", "group", "r", "f", "m", "rfm_group",
  "churn_risk", "next_order_date", "reason", "expected_purchases_low", "expected_purchases_high", "clv_low", "clv_high",
  "customer_type", "spend_tier", "total_spent", "aov", "first_order_date", "last_order_date", "days_since_last_order", "days_since_first_order", "usual_gap_days", "acquisition_source",
  "p_alive_low", "p_alive_high", "next_order_date_low", "next_order_date_high",
];

/**
 * The score rows of all customers with at least one order up to the as-of date, kept columnar:
 * the analysis holds the per-customer arrays it computed anyway, and a row object is built only
 * when a consumer asks for it (the recompute job and the CLI write them in batches). Building
 * 275k row objects up front cost ~0.3 s and their garbage at 1M orders.
 */
export interface CustomerScoreTable {
  /** Number of rows (customers with at least one order). */
  readonly length: number;
  /** Row `i`, 0 ≤ i < length, in customer order. */
  row(i: number): CustomerScoreRow;
  /** The dataset's index (`StoreDataset.customerIds`) of row `i`'s customer. */
  customerIndex(i: number): number;
  /** Rows `start` (default 0) up to, not including, `end` (default length). */
  rows(start?: number, end?: number): CustomerScoreRow[];
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Builds the score table of all customers with at least one order up to the as-of date. */
export function customerScoreRows(
  dataset: StoreDataset,
  facts: CustomerFacts,
  timeUnit: TimeUnit,
  stages: Uint8Array,
  groups: Uint8Array,
  customerTypes: Uint8Array,
  rfm: RfmScores,
  predictions: CustomerPredictions | null,
  lifecycleSettings: LifecycleSettings,
  spendTiers: SpendTierThresholds,
): CustomerScoreTable {
  const unit = DAYS_PER_TIME_UNIT[timeUnit];
  // The rows read these four columns only: the table must not keep the whole dataset (its order
  // and line columns) alive while a caller writes it (the recompute's write at 1M orders).
  const { customerIds, orderSource, customerOrderStart, sources } = dataset;
  let length = 0;
  for (let c = 0; c < facts.customerCount; c++) if (facts.orders[c] > 0) length++;
  const customerOfRow = new Int32Array(length);
  for (let c = 0, i = 0; c < facts.customerCount; c++) if (facts.orders[c] > 0) customerOfRow[i++] = c;
  // ISO labels are cached per day: three per customer would otherwise dominate the row building.
  const labels = new Map<number, string>();
  const label = (day: number) => {
    let text = labels.get(day);
    if (text === undefined) labels.set(day, (text = isoDateFromDayIndex(day)));
    return text;
  };
  const row = (i: number): CustomerScoreRow => {
    if (!(i >= 0 && i < length)) throw new RangeError(`score row ${i} out of range (0…${length - 1})`);
    const c = customerOfRow[i];
    // Tuple-level predictions are shared by the customers of a tuple (store-predictions.ts).
    const t = predictions ? predictions.tupleOfCustomer[c] : -1;
    const p = predictions && t >= 0 ? predictions.byTuple : null;
    const perCustomer = predictions;
    const pAlive = p ? num(p.pAlive[t]) : null;
    const x = facts.events[c] - 1;
    const txDays = facts.lastDay[c] - facts.firstDay[c];
    const TDays = facts.asOfDay - facts.firstDay[c];
    const stage = STAGE_NAMES[stages[c]]!;
    const gapDays = usualGapDays(facts.cadenceDays[c], facts.shopMedianGapDays, lifecycleSettings);
    const sinceLast = facts.asOfDay - facts.lastDay[c];
    const source = orderSource[customerOrderStart[c]];
    return {
      customer_id: customerIds[c],
      orders: facts.orders[c],
      x,
      t_x: txDays / unit,
      T: TDays / unit,
      p_alive: pAlive,
      p_alive_low: p ? num(p.pAliveLow[t]) : null,
      p_alive_high: p ? num(p.pAliveHigh[t]) : null,
      expected_purchases: p ? num(p.expectedPurchases[t]) : null,
      expected_purchases_low: p ? num(p.expectedPurchasesLow[t]) : null,
      expected_purchases_high: p ? num(p.expectedPurchasesHigh[t]) : null,
      expected_spend: perCustomer ? num(perCustomer.expectedSpend[c]) : null,
      clv: perCustomer ? num(perCustomer.clv[c]) : null,
      clv_low: perCustomer ? num(perCustomer.clvLow[c]) : null,
      clv_high: perCustomer ? num(perCustomer.clvHigh[c]) : null,
      churn_risk: pAlive === null ? null : churnRiskBand(pAlive),
      next_order_date: p && Number.isFinite(p.nextOrderDay[t]) ? label(p.nextOrderDay[t]) : null,
      next_order_date_low: p && Number.isFinite(p.nextOrderDayLow[t]) ? label(p.nextOrderDayLow[t]) : null,
      next_order_date_high: p && Number.isFinite(p.nextOrderDayHigh[t]) ? label(p.nextOrderDayHigh[t]) : null,
      lifecycle: stage,
      group: CUSTOMER_GROUPS[groups[c]],
      customer_type: CUSTOMER_TYPES[customerTypes[c]],
      spend_tier: spendTierOf(facts.revenue[c], spendTiers),
      r: rfm.r[c],
      f: rfm.f[c],
      m: rfm.m[c],
      rfm_group: RFM_GROUPS[rfm.group[c]],
      total_spent: facts.revenue[c],
      aov: facts.revenue[c] / facts.orders[c],
      first_order_date: label(facts.firstDay[c]),
      last_order_date: label(facts.lastDay[c]),
      days_since_last_order: sinceLast,
      days_since_first_order: TDays,
      usual_gap_days: gapDays,
      acquisition_source: source >= 0 ? sources[source] : null,
      reason: lifecycleReason({ stage, repeatPurchases: x, daysSinceFirstOrder: TDays, daysSinceLastOrder: sinceLast, usualGapDays: gapDays }, lifecycleSettings),
    };
  };
  return {
    length,
    row,
    customerIndex: (i) => customerOfRow[i],
    rows(start = 0, end = length) {
      const out: CustomerScoreRow[] = [];
      for (let i = Math.max(0, start); i < Math.min(end, length); i++) out.push(row(i));
      return out;
    },
  };
}
