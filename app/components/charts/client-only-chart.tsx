import { useEffect, useState, type ReactNode } from "react";

/**
 * polaris-viz measures its container and reads `window` while rendering, so its charts are
 * drawn in the browser only; the server sends a box of the chart's height (no layout shift)
 * and the card's title, definition and table alternative, which carry the same figures.
 */
export function ClientOnlyChart({ height, name, children }: { height: number; name: string; children: () => ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <div style={{ height }} data-chart={name}>
      {mounted ? children() : null}
    </div>
  );
}
