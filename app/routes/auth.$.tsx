import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";

// The library's auth paths (/auth/session-token bounce page, /auth/exit-iframe, …) are
// answered by authenticate.admin itself with thrown responses.
export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}
