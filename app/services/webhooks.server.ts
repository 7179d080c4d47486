import { prisma } from "~/db.server";

/** What a verified webhook delivery says, as recorded before anything is applied. */
export interface WebhookDelivery {
  /** The *.myshopify.com domain from the verified delivery; every row is scoped by it. */
  shop: string;
  /** Upper-snake topic as shopify-app-remix normalises it (`ORDERS_CREATE`). */
  topic: string;
  /** `X-Shopify-Webhook-Id`: the same value on every retry of one delivery. */
  webhookId: string;
  /** `X-Shopify-Event-Id`: the same value for every delivery of one event, when Shopify sends it. */
  eventId?: string;
  apiVersion?: string;
  /** `X-Shopify-Triggered-At`, when the event happened at Shopify. */
  triggeredAt?: Date;
  /**
   * The raw request body. Kept as text, not re-serialised JSON: numeric ids beyond 2^53 would
   * lose digits in a JSON.parse/stringify round trip.
   */
  payload: string;
}

export type RecordWebhookResult = { recorded: true; id: number } | { recorded: false; reason: "duplicate" };

/**
 * Records one webhook delivery durably, once.
 *
 * Deduplicated on (shop, webhookId), the key shopify-app-remix documents as "the true
 * idempotency key" (CHANGELOG 4.2.1): Shopify's retries reuse it, so a retried or duplicated
 * delivery is acknowledged without a second row. The sync engine's worker applies the
 * `pending` rows later; see docs/decisions/004-webhook-idempotency.md.
 */
export async function recordWebhook(delivery: WebhookDelivery): Promise<RecordWebhookResult> {
  try {
    const row = await prisma.webhookEvent.create({
      data: {
        shop: delivery.shop,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId ?? null,
        apiVersion: delivery.apiVersion ?? null,
        triggeredAt: delivery.triggeredAt ?? null,
        payload: delivery.payload,
      },
      select: { id: true },
    });
    return { recorded: true, id: row.id };
  } catch (error) {
    // P2002: the unique (shop, webhookId) index says this delivery is already recorded. A
    // create-and-catch is race-free where a find-then-create is not (two instances, one retry).
    if (isUniqueConstraintViolation(error)) return { recorded: false, reason: "duplicate" };
    throw error;
  }
}

function isUniqueConstraintViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
