import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive-webhook.server";

// customers/delete: A customer was deleted.
// Recorded once per webhook id, applied later by the sync engine.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "CUSTOMERS_DELETE");
