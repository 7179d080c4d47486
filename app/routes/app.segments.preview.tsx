/**
 * The builder's live count: POST a rule (JSON in `rules`), get the member count, all customers
 * and a sample of members, or the rule's errors by path. Never a 500 for a bad rule.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { previewSegment } from "~/services/segments.server";
import { authenticate } from "~/shopify.server";
import { readFormFields } from "~/http/form-fields.server";

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const form: Record<string, unknown> = await readFormFields(request);
  let rule: unknown = null;
  try {
    rule = JSON.parse(typeof form.rules === "string" ? form.rules : "null");
  } catch {
    rule = null;
  }
  const preview = await previewSegment(session.shop, rule);
  return json(preview, { status: preview.status === "invalid" ? 400 : 200 });
}
