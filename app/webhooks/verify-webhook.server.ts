import crypto from "node:crypto";
import { readWebhookBody } from "./webhook-body-limit.server";

/** A delivery whose HMAC matched the app's secret, with the headers Shopify sends on every one. */
export interface VerifiedWebhook {
  /** The `X-Shopify-Shop-Domain`; every row recorded for the delivery is scoped by it. */
  shop: string;
  /** Upper-snake, as shopify-api stores topics: `orders/create` → `ORDERS_CREATE`. */
  topic: string;
  webhookId: string;
  apiVersion: string;
  eventId?: string;
  triggeredAt?: string;
  /** The body exactly as signed, decoded as UTF-8. */
  rawBody: string;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Verifies a webhook delivery the way `@shopify/shopify-api`'s `webhooks.validate` does
 * (HMAC-SHA256 of the raw body with the app's API secret, base64, compared in constant time;
 * then the required X-Shopify headers), answering as `authenticate.webhook` would: 405 for a
 * non-POST, 400 for a missing HMAC or header, 401 for a wrong HMAC, 413 for a body over
 * MAX_WEBHOOK_BODY_BYTES (refused before or while reading it, webhook-body-limit.server.ts). It differs in one thing
 * on purpose: it does not load (and, for an expiring token, refresh) the shop's offline
 * session, because recording a delivery needs no Admin API access. See
 * docs/decisions/008-webhook-intake-without-session.md. Agreement with the library on
 * the same deliveries is tested in verify-webhook.server.test.ts.
 *
 * @throws Response with the status above; nothing has been stored when it throws.
 */
export async function verifyWebhook(request: Request, apiSecret: string): Promise<VerifiedWebhook> {
  if (request.method !== "POST") throw new Response(undefined, { status: 405, statusText: "Method not allowed" });
  const headers = request.headers;
  const hmac = headers.get("x-shopify-hmac-sha256");
  // Refused before the body is read: an unsigned post costs no memory.
  if (!hmac) throw new Response(undefined, { status: 400, statusText: "Bad Request" });
  const body = await readWebhookBody(request);
  const expected = crypto.createHmac("sha256", apiSecret).update(body).digest();
  const given = Buffer.from(hmac, "base64");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
  }
  const topic = headers.get("x-shopify-topic");
  const shop = headers.get("x-shopify-shop-domain");
  const apiVersion = headers.get("x-shopify-api-version");
  const webhookId = headers.get("x-shopify-webhook-id");
  // Signed by Shopify, so a malformed domain is Shopify's bug; refuse it rather than scope rows by it.
  if (!topic || !shop || !apiVersion || !webhookId || !SHOP_DOMAIN.test(shop)) {
    throw new Response(undefined, { status: 400, statusText: "Bad Request" });
  }
  let rawBody: string;
  try {
    rawBody = UTF8.decode(body);
  } catch {
    throw new Response(undefined, { status: 400, statusText: "Body is not UTF-8" });
  }
  return {
    shop,
    topic: topic.toUpperCase().replace(/[/.]/g, "_"),
    webhookId,
    apiVersion,
    eventId: headers.get("x-shopify-event-id") ?? undefined,
    triggeredAt: headers.get("x-shopify-triggered-at") ?? undefined,
    rawBody,
  };
}
