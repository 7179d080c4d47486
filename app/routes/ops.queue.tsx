import { json } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getQueueOverview, isOperator } from "~/services/operations.server";

// GET /ops/queue with `Authorization: Bearer $OPS_TOKEN`: jobs waiting/running/failed per kind,
// webhook deliveries by status, dropped deliveries. 404 when OPS_TOKEN is unset or wrong.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!isOperator(request.headers.get("authorization"))) return new Response("Not Found", { status: 404 });
  return json(await getQueueOverview(), { headers: { "Cache-Control": "no-store" } });
};
