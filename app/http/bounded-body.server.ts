/**
 * Reading a request body with a bound on its size and on the bytes held at once, so no body
 * (a webhook, a page's form) can take the server's memory: docs/decisions/016-webhook-body-limit.md.
 */

/** Bytes of one kind of request body (webhooks, forms) held at once, over every request in flight. */
export class BodyBudget {
  held = 0;
  constructor(readonly bytes: number) {}
}

/** The answers for a body over its limit (413) and for a budget already spent (503); each kind words its own. */
export interface BodyRefusals {
  tooLarge: () => Response;
  busy: () => Response;
}

/**
 * Reads a request body of at most `maxBytes`, refusing before anything is read when
 * Content-Length says it is larger, and stopping (and cancelling the upload) as soon as the
 * streamed bytes pass the limit when there is no Content-Length or it lies.
 *
 * @throws Response 400 for a malformed Content-Length; `refusals.tooLarge()` when the body is
 *   larger than `maxBytes`; `refusals.busy()` when `budget` would be passed.
 */
export async function readBodyWithin(request: Request, maxBytes: number, budget: BodyBudget, refusals: BodyRefusals): Promise<Buffer> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) throw new Response(undefined, { status: 400, statusText: "Bad Content-Length" });
    // Not read at all: Node's HTTP server discards the unread rest once the 413 is sent.
    if (length > maxBytes) throw refusals.tooLarge();
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
      if (size > maxBytes) throw refusals.tooLarge();
      if (budget.held + value.byteLength > budget.bytes) throw refusals.busy();
      budget.held += value.byteLength;
      chunks.push(value);
    }
    return Buffer.concat(chunks, size);
  } catch (error) {
    // Stop the upload: an attacker's endless body must not keep the connection busy.
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    for (const chunk of chunks) budget.held -= chunk.byteLength;
  }
}
