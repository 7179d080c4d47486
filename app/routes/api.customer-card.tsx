import { json } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { CustomerCardError } from "~/customers/customer-card-contract";
import { resolveLocale } from "~/i18n/resolve-locale";
import { customerCard, parseCustomerCardQuery } from "~/services/customer-card.server";
import { authenticate } from "~/shopify.server";

/**
 * GET /api/customer-card?customerId=gid://shopify/Customer/N&locale=nl — the customer card's data for the
 * admin extension (extensions/customer-card), which calls it with `fetch` and Shopify's ID token
 * as `Authorization: Bearer …`. The shop is the one in the verified token, never a parameter.
 *
 * The extension runs on another origin (extensions.shopifycdn.com), so every answer, refusals
 * included, carries the CORS headers shopify-app-remix adds for a foreign Origin. The browser's
 * preflight (OPTIONS) reaches this loader too (Remix routes OPTIONS to loaders) and
 * `authenticate.admin` answers it with 204.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  refuseWithoutBearerToken(request);
  const { session, cors } = await authenticate.admin(request);
  const url = new URL(request.url);
  const query = parseCustomerCardQuery(url.searchParams);
  if (!query.ok) {
    return cors(json({ error: "invalid-customer-id", message: query.message } satisfies CustomerCardError, { status: 400 }));
  }
  const card = await customerCard(session.shop, query.customerId, resolveLocale(url, request.headers.get("Accept-Language")));
  return cors(json(card, { status: card.state === "unknown-customer" ? 404 : 200 }));
}

/**
 * Without a token shopify-app-remix treats a request as a page load and redirects it to the
 * login page; for this data endpoint a plain 401 is the honest answer.
 */
function refuseWithoutBearerToken(request: Request) {
  if (request.method === "OPTIONS") return;
  if (/^Bearer \S+$/.test(request.headers.get("Authorization") ?? "")) return;
  throw new Response(JSON.stringify({ error: "unauthorized", message: "A Shopify session token is required (Authorization: Bearer …)." }), {
    status: 401,
    headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Authorization, Content-Type" },
  });
}
