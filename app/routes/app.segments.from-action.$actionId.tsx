/**
 * One click from a recommended action (dashboard): opens the action's segment, creating it with
 * the built-ins when the shop has none yet, ready to push.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { segmentForAction } from "~/services/segments.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session, redirect } = await authenticate.admin(request);
  const id = await segmentForAction(session.shop, params.actionId ?? "");
  if (id === null) throw json({ error: "segments.error.unknownAction" }, { status: 404 });
  return redirect(`/app/segments/${id}`);
}

/**
 * Never shown: the loader redirects. Being a page (not a resource route) lets an unknown
 * action's 404 reach the layout's error page instead of the browser as raw JSON.
 */
export default function SegmentForAction() {
  return null;
}
