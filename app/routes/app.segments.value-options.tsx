/**
 * GET /app/segments/value-options?field=product|productType|vendor|tag&q=…&selected=… — the
 * builder's product, product type, vendor and tag pickers: the shop's options matching the search,
 * and the labels of the values the condition already holds (titles for product ids).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { segmentValueOptions } from "~/services/segments.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const result = await segmentValueOptions(session.shop, new URL(request.url).searchParams);
  return json(result, { status: result.status === "invalid" ? 400 : 200 });
}
