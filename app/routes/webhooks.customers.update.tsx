import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive-webhook.server";

// customers/update: A customer changed (address, consent, counters).
// Recorded once per webhook id, applied later by the sync engine.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "CUSTOMERS_UPDATE");
