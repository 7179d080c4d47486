import { useEffect, useState, type ReactNode } from "react";

/**
 * Renders its children in the browser only, `fallback` on the server and before hydration:
 * polaris-viz charts read `window` while rendering (isTouchDevice) and fail server rendering.
 * ChartCard's table alternative still renders on the server, so the figures are in the page.
 */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return <>{hydrated ? children() : fallback}</>;
}
