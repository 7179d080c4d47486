import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive-webhook.server";

// app/scopes_update: The granted scopes changed (e.g. read_all_orders granted or revoked).
// Recorded once per webhook id, applied later by the sync engine.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "APP_SCOPES_UPDATE");
