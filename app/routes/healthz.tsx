import { json } from "@remix-run/node";
import { getHealth } from "~/services/health.server";

// GET /healthz: for load balancers and uptime checks. 200 when the database answers and the
// sync worker runs and keeps up, 503 otherwise; the body says which. No shop data.
export const loader = async () => {
  const health = await getHealth();
  return json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
};
