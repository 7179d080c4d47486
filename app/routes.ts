import type { RouteConfig } from "@remix-run/route-config";
import { flatRoutes } from "@remix-run/fs-routes";

// Tests and server-only modules may sit beside their route (epic-stack's rule); they are
// never routes themselves.
export default flatRoutes({
  ignoredRouteFiles: ["**/*.test.*", "**/*.server.*"],
}) satisfies RouteConfig;
