import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/webhooks/receive-webhook.server";

// app/uninstalled: The merchant removed the app; the sync engine stops the shop's jobs and deletes its sessions.
// Recorded once per webhook id, applied later by the sync engine.
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, "APP_UNINSTALLED");
