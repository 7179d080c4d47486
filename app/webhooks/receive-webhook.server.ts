import { verifyWebhookDelivery } from "~/shopify.server";
import { readShopLifecycle, recordWebhook } from "~/services/webhooks.server";
import { deliveryAdmission, noteDroppedDelivery } from "~/sync/webhooks/shop-lifecycle";

/**
 * What every webhook route does: verify, record once, acknowledge.
 *
 * `verifyWebhookDelivery` answers 405 for non-POST, 401 for a bad HMAC and 400 for missing
 * headers before anything is stored. A verified delivery is recorded (deduplicated on its
 * webhook id) and answered 200 at once; the sync engine's worker applies it later, so the
 * answer stays well inside Shopify's 5-second limit whatever the topic costs to apply.
 *
 * @param expectedTopic the upper-snake topic this route is subscribed for in shopify.app.toml.
 *   The topic header is not covered by the HMAC, so a delivery naming another topic is
 *   refused (400) rather than recorded under the wrong route.
 */
export async function receiveWebhook(request: Request, expectedTopic: string): Promise<Response> {
  const webhook = await verifyWebhookDelivery(request);
  if (webhook.topic !== expectedTopic) {
    return new Response(`This endpoint receives ${expectedTopic} webhooks, not ${webhook.topic}`, { status: 400 });
  }
  const state = await readShopLifecycle(webhook.shop);
  if (deliveryAdmission(state, webhook.topic, "intake") === "drop") {
    noteDroppedDelivery({ shop: webhook.shop, topic: webhook.topic, state, stage: "intake", requestId: webhook.webhookId });
    return new Response();
  }
  await recordWebhook({
    shop: webhook.shop,
    topic: webhook.topic,
    webhookId: webhook.webhookId,
    eventId: webhook.eventId,
    apiVersion: webhook.apiVersion,
    triggeredAt: parseTriggeredAt(webhook.triggeredAt),
    // The exact bytes Shopify signed: re-serialised JSON would lose digits of 64-bit ids.
    payload: webhook.rawBody,
  });
  // The sync worker's sweep (every 2 s) applies it; nothing else happens in the request.
  return new Response();
}

function parseTriggeredAt(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
