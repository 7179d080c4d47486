import type { DashboardMetricKey } from "~/services/dashboard.server";

/**
 * Which direction of change is good for the shop, per key metric (METRICS.md): more customers,
 * value, retention and repeat purchases are good; more churn is bad; the guest-order share is
 * neither (a shop may sell mostly to guests on purpose).
 */
export const BETTER_DIRECTION: Record<DashboardMetricKey, "up" | "down" | "neutral"> = {
  "total-customers": "up",
  "new-customers": "up",
  ltv: "up",
  "repeat-purchase-rate": "up",
  "retention-rate": "up",
  "churn-rate-monthly": "down",
  aov: "up",
  "orders-per-customer": "up",
  "guest-order-share": "neutral",
};

/** A change smaller than this shows as "0.0" (one decimal of a percentage): no change, neutral. */
export const NO_CHANGE = 0.0005;

/** Badge tone for a change: success when it is good news, critical when bad, none when there is no change. */
export function metricChangeTone(key: DashboardMetricKey, change: number | null): "success" | "critical" | "info" | undefined {
  if (change === null || Math.abs(change) < NO_CHANGE) return undefined;
  const better = BETTER_DIRECTION[key];
  if (better === "neutral") return "info";
  return (change > 0) === (better === "up") ? "success" : "critical";
}
