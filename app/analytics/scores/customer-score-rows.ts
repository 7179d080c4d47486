import { isoDateFromDayIndex } from "../calendar/calendar-day";
import type { CustomerFacts } from "../customers/customer-facts";
import { DAYS_PER_TIME_UNIT, type TimeUnit } from "../customers/purchase-history-summary";
import type { StoreDataset } from "../dataset/dataset-builder";
import { CUSTOMER_GROUPS, type CustomerGroup } from "../groups/customer-groups";
import { type LifecycleStage, STAGE_NAMES } from "../lifecycle/lifecycle-stage";
import { type CustomerActivityReason, customerActivityReason } from "../models/customer-activity-reason";
import type { CustomerPredictions } from "../predictions/store-predictions";
import { RFM_SEGMENTS, type RfmSegment } from "../rfm/rfm-segment";
import type { RfmScores } from "../rfm/rfm-scores";
import { DASHBOARD_SEGMENTS, type DashboardSegment } from "../segments/dashboard-segments";

/** Churn-risk band from P(alive): high below 0.3, medium below 0.7, low otherwise. */
export type ChurnRisk = "low" | "medium" | "high";

export function churnRiskBand(pAlive: number): ChurnRisk | null {
  if (Number.isNaN(pAlive)) return null;
  return pAlive < 0.3 ? "high" : pAlive < 0.7 ? "medium" : "low";
}

/**
 * One row per customer, ready to store (Prisma `CustomerScore`) and to filter segments on.
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
  lifecycle: LifecycleStage;
  group: CustomerGroup;
  segment: DashboardSegment;
  r: number;
  f: number;
  m: number;
  rfm_group: RfmSegment;
  total_spent: number;
  aov: number;
  first_order_date: string;
  last_order_date: string;
  days_since_last_order: number;
  /** The reason behind the churn score, as data (null without predictions); rendered by the UI/CLI. */
  reason: CustomerActivityReason | null;
}

/** Column order of the scores CSV (the first 15 are the ones the CLI promises). */
export const SCORE_COLUMNS: readonly (keyof CustomerScoreRow)[] = [
  "customer_id", "orders", "x", "t_x", "T", "p_alive", "expected_purchases", "expected_spend", "clv", "lifecycle", "group", "r", "f", "m", "rfm_group",
  "churn_risk", "next_order_date", "reason", "expected_purchases_low", "expected_purchases_high", "clv_low", "clv_high",
  "segment", "total_spent", "aov", "first_order_date", "last_order_date", "days_since_last_order",
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
  segments: Uint8Array,
  rfm: RfmScores,
  predictions: CustomerPredictions | null,
): CustomerScoreTable {
  const unit = DAYS_PER_TIME_UNIT[timeUnit];
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
    const p = predictions;
    const pAlive = p ? num(p.pAlive[c]) : null;
    const x = facts.events[c] - 1;
    const txDays = facts.lastDay[c] - facts.firstDay[c];
    const TDays = facts.asOfDay - facts.firstDay[c];
    return {
      customer_id: dataset.customerIds[c],
      orders: facts.orders[c],
      x,
      t_x: txDays / unit,
      T: TDays / unit,
      p_alive: pAlive,
      expected_purchases: p ? num(p.expectedPurchases[c]) : null,
      expected_purchases_low: p ? num(p.expectedPurchasesLow[c]) : null,
      expected_purchases_high: p ? num(p.expectedPurchasesHigh[c]) : null,
      expected_spend: p ? num(p.expectedSpend[c]) : null,
      clv: p ? num(p.clv[c]) : null,
      clv_low: p ? num(p.clvLow[c]) : null,
      clv_high: p ? num(p.clvHigh[c]) : null,
      churn_risk: pAlive === null ? null : churnRiskBand(pAlive),
      next_order_date: p && Number.isFinite(p.nextOrderDay[c]) ? label(p.nextOrderDay[c]) : null,
      lifecycle: STAGE_NAMES[stages[c]]!,
      group: CUSTOMER_GROUPS[groups[c]],
      segment: DASHBOARD_SEGMENTS[segments[c]],
      r: rfm.r[c],
      f: rfm.f[c],
      m: rfm.m[c],
      rfm_group: RFM_SEGMENTS[rfm.segment[c]],
      total_spent: facts.revenue[c],
      aov: facts.revenue[c] / facts.orders[c],
      first_order_date: label(facts.firstDay[c]),
      last_order_date: label(facts.lastDay[c]),
      days_since_last_order: facts.asOfDay - facts.lastDay[c],
      reason: p ? customerActivityReason({ x, txDays, TDays }) : null,
    };
  };
  return {
    length,
    row,
    rows(start = 0, end = length) {
      const out: CustomerScoreRow[] = [];
      for (let i = Math.max(0, start); i < Math.min(end, length); i++) out.push(row(i));
      return out;
    },
  };
}
