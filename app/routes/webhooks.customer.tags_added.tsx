import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive-webhook.server";

// customer.tags_added: Tags were added to a customer (customer payloads carry no tags since 2025-01).
// Recorded once per webhook id, applied later by the sync engine.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "CUSTOMER_TAGS_ADDED");
