/**
 * One definition per figure (METRICS.md). Every figure the core returns carries its key; the
 * app shows the text as help, the CLI prints it with --explain-style output.
 */
export const METRIC_DEFINITIONS = {
  "total-customers": "Distinct customers with at least one order in the period.",
  "new-customers": "Customers whose first-ever order is in the period.",
  ltv: "Historic LTV: all-time revenue up to the end of the period ÷ customers with at least one order up to then.",
  "repeat-purchase-rate": "Customers with at least 2 orders ÷ customers with at least 1 order (all time up to the end of the period).",
  "retention-rate": "Of the customers who ordered in the previous period, the share who ordered again in this period.",
  "churn-rate-monthly": "Customers who became lost during a month ÷ customers not lost at its start; for longer periods the mean of the months.",
  aov: "Average order value: revenue in the period ÷ orders in the period (guest orders included).",
  "orders-per-customer": "Customers' orders in the period ÷ total customers in the period.",
  "guest-order-share": "Guest orders (no customer) ÷ all orders in the period.",
  cac: "Customer acquisition cost: marketing spend in the period ÷ new customers.",
  "ltv-cac": "Predicted 12-month CLV of the period's new customers (historic LTV when there is too little history) ÷ CAC.",
  revenue: "Sum of order totals in the period after refunds (guest orders included).",
  orders: "Orders in the period (test and cancelled orders excluded; guest orders included).",
} as const;

export type MetricKey = keyof typeof METRIC_DEFINITIONS;

/**
 * Figures that are shares: their change against the previous period is the difference in
 * percentage points (a retention rate from 20 % to 25 % is +5 points, not "+25 %").
 */
export const RATE_METRICS: ReadonlySet<MetricKey> = new Set<MetricKey>(["repeat-purchase-rate", "retention-rate", "churn-rate-monthly", "guest-order-share"]);
