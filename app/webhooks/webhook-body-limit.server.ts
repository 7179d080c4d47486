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

let bytesHeld = 0;

/** For tests and the operator view: webhook body bytes held by requests in flight. */
export function webhookBodyBytesHeld(): number {
  return bytesHeld;
}

/**
 * Reads a request body of at most `maxBytes`, refusing before anything is read when
 * Content-Length says it is larger, and stopping (and cancelling the upload) as soon as the
 * streamed bytes pass the limit when there is no Content-Length or it lies.
 *
 * @throws Response 413 when the body is larger than `maxBytes`; 503 (with Retry-After, so
 *   Shopify retries) when the process already holds {@link WEBHOOK_BODY_BUDGET_BYTES} of bodies.
 */
export async function readBodyWithin(request: Request, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) throw new Response(undefined, { status: 400, statusText: "Bad Content-Length" });
    // Not read at all: Node's HTTP server discards the unread rest once the 413 is sent.
    if (length > maxBytes) throw tooLarge(maxBytes);
  }
  const reader = request.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      if (bytesHeld + value.byteLength > WEBHOOK_BODY_BUDGET_BYTES) {
        throw new Response(undefined, { status: 503, statusText: "Busy", headers: { "Retry-After": "5" } });
      }
      bytesHeld += value.byteLength;
      chunks.push(value);
    }
    return Buffer.concat(chunks, size);
  } catch (error) {
    // Stop the upload: an attacker's endless body must not keep the connection busy.
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    for (const chunk of chunks) bytesHeld -= chunk.byteLength;
  }
}

function tooLarge(maxBytes: number): Response {
  return new Response(`Webhook bodies are limited to ${maxBytes} bytes`, { status: 413, statusText: "Payload Too Large" });
}
