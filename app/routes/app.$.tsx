/**
 * Any address under /app that is no page (a mistyped or outdated link): a 404 worded by the
 * layout's error page, inside the admin with its navigation, not the bare root error page.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  throw json({ error: "error.notFound" }, { status: 404 });
}

/** Never shown: the loader always answers 404, which the layout's error page words. */
export default function NoSuchPage() {
  return null;
}
