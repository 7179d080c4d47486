/**
 * A shop's lifecycle as webhook intake and apply see it: installed → uninstalled → redacted
 * (shop/redact leaves the Shop row as a tombstone with installState "redacted", so late retries
 * stay dropped), or "unknown" when the shop has no row yet: a delivery can arrive in the
 * moments before its install completes (afterAuth runs after Shopify already sends webhooks).
 *
 * Every write path asks {@link deliveryAdmission} before it stores or applies a delivery:
 * - "accept": record it / apply it;
 * - "drop": acknowledge it (200, so Shopify stops retrying), keep nothing, log and count it;
 * - "hold": record it but do not apply it until the shop is installed; held deliveries whose
 *   shop never installs are dropped after {@link HOLD_FOR_INSTALL_MS}.
 */
import { logInfo } from "../../log.server";

export type ShopLifecycle = "installed" | "uninstalled" | "redacted" | "unknown";
export type DeliveryAdmission = "accept" | "drop" | "hold";

/** Status of a recorded delivery waiting for its shop's install (not "pending": the sweep skips it). */
export const AWAITING_INSTALL = "awaiting-install";
/** Status of a recorded delivery dropped by the lifecycle (its payload is scrubbed). */
export const DROPPED = "dropped";
/** How long a delivery for a shop without a row waits for the install to complete. */
export const HOLD_FOR_INSTALL_MS = 10 * 60_000;

/** Topics an uninstalled shop still gets and must have applied: the uninstall itself and the compliance webhooks. */
const AFTER_UNINSTALL_TOPICS = new Set(["APP_UNINSTALLED", "SHOP_REDACT", "CUSTOMERS_REDACT", "CUSTOMERS_DATA_REQUEST"]);

export function lifecycleOf(installState: string | null | undefined): ShopLifecycle {
  if (installState === undefined || installState === null) return "unknown";
  if (installState === "installed" || installState === "uninstalled" || installState === "redacted") return installState;
  return "uninstalled";
}

/** What to do with a delivery of `topic` (upper-snake) for a shop in `state`. */
export function deliveryAdmission(state: ShopLifecycle, topic: string, stage: "intake" | "apply"): DeliveryAdmission {
  switch (state) {
    case "installed":
      return "accept";
    case "redacted":
      // Everything of the shop is gone; nothing that arrives later may bring any of it back.
      return "drop";
    case "uninstalled":
      return AFTER_UNINSTALL_TOPICS.has(topic) ? "accept" : "drop";
    case "unknown":
      // shop/redact for a shop we never had still leaves the tombstone.
      if (topic === "SHOP_REDACT") return "accept";
      return stage === "intake" ? "accept" : "hold";
  }
}

const dropped = new Map<string, number>();

/** Logs and counts a delivery the lifecycle dropped. */
export function noteDroppedDelivery(fields: { shop: string; topic: string; state: ShopLifecycle; stage: "intake" | "apply"; requestId?: string }): void {
  const key = `${fields.stage}:${fields.state}:${fields.topic}`;
  dropped.set(key, (dropped.get(key) ?? 0) + 1);
  logInfo("webhook.dropped", { ...fields, reason: `shop is ${fields.state}` });
}

/** Deliveries dropped by this process since it started, by "stage:state:topic". */
export function droppedDeliveryCounts(): Record<string, number> {
  return Object.fromEntries(dropped);
}
