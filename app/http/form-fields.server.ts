import { json } from "@remix-run/node";
import { BodyBudget, readBodyWithin } from "./bounded-body.server";

/**
 * The largest form a page accepts. The largest real one is a segment's rule: at its own limits
 * (50 conditions of 100 values of 255 characters, rule-tree.ts) about 1.3 MB of JSON, more once
 * URL-encoded; a usual form is under 10 KB.
 */
export const MAX_FORM_BODY_BYTES = 4 * 1024 * 1024;

/** Bytes of form bodies this process holds at once, over all requests in flight. */
const FORM_BODIES = new BodyBudget(16 * 1024 * 1024);

/**
 * A page's submitted form as plain fields, read with a bound on its size (an action calls it
 * after `authenticate.admin`, so an unauthenticated body is never read). A body that is not a
 * form reads as no fields, which the page's own validation answers with field errors.
 *
 * @throws a 413 JSON response ({ error: "error.formTooLarge" }, worded by the layout's error
 *   page) for a body over MAX_FORM_BODY_BYTES, before or while reading it; 503 while the
 *   process already holds its budget of form bodies.
 */
export async function readFormFields(request: Request): Promise<Record<string, FormDataEntryValue>> {
  const body = await readBodyWithin(request, MAX_FORM_BODY_BYTES, FORM_BODIES, {
    tooLarge: () => json({ error: "error.formTooLarge", maxBytes: MAX_FORM_BODY_BYTES }, { status: 413 }),
    busy: () => json({ error: "error.busy" }, { status: 503, headers: { "Retry-After": "5" } }),
  });
  const form = new Request(request.url, { method: "POST", headers: request.headers, body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) });
  return form.formData().then(Object.fromEntries, () => ({}));
}
