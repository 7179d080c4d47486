import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive-webhook.server";

// bulk_operations/finish: A bulk query or mutation (backfill, tag push) finished.
// Recorded once per webhook id, applied later by the sync engine.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "BULK_OPERATIONS_FINISH");
