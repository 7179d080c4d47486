import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive-webhook.server";

// customer.tags_removed: Tags were removed from a customer.
// Recorded once per webhook id, applied later by the sync engine.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "CUSTOMER_TAGS_REMOVED");
