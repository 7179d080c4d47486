import { BodyBudget, readBodyWithin } from "~/http/bounded-body.server";

/**
 * How much of a webhook body the app reads, and how much it holds at once.
 *
 * Shopify sends no documented maximum for classic HTTPS webhooks. Its staff put the largest
 * bodies "upwards of a megabyte" (an order with hundreds of line items, each repeated in its
 * refunds and fulfillments), and Shopify caps EventBridge deliveries at 1,000,000 bytes, falling
 * back to a bare `{"id": …}` above that (shopify.dev changelog, 2026-11-17). 4 MiB is four
 * times the largest real payload and still small enough that a flood of oversized posts cannot
 * grow the server's memory: see docs/decisions/016-webhook-body-limit.md.
 */
export const MAX_WEBHOOK_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Bytes of webhook bodies this process holds at once, over all requests. A real delivery is a
 * few KB and is answered in milliseconds, so at 1,000 deliveries/s this is never reached; a
 * flood of large posts (signed or not) waits on it instead of taking the server's memory.
 */
export const WEBHOOK_BODY_BUDGET_BYTES = 16 * 1024 * 1024;

const WEBHOOK_BODIES = new BodyBudget(WEBHOOK_BODY_BUDGET_BYTES);

/** For tests and the operator view: webhook body bytes held by requests in flight. */
export function webhookBodyBytesHeld(): number {
  return WEBHOOK_BODIES.held;
}

/**
 * Reads a webhook body of at most `maxBytes` (bounded-body.server.ts).
 *
 * @throws Response 413 when the body is larger than `maxBytes`; 503 (with Retry-After, so
 *   Shopify retries) when the process already holds {@link WEBHOOK_BODY_BUDGET_BYTES} of bodies.
 */
export function readWebhookBody(request: Request, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  return readBodyWithin(request, maxBytes, WEBHOOK_BODIES, {
    tooLarge: () => new Response(`Webhook bodies are limited to ${maxBytes} bytes`, { status: 413, statusText: "Payload Too Large" }),
    busy: () => new Response(undefined, { status: 503, statusText: "Busy", headers: { "Retry-After": "5" } }),
  });
}
