import { useEffect, useState, type ReactNode } from "react";

/**
 * polaris-viz measures its container and reads `window` while rendering, so its charts are
 * drawn in the browser only; the server sends a box of the chart's height (no layout shift)
 * and the card's title, definition and table alternative, which carry the same figures.
 */
export function ClientOnlyChart({ height, name, children, endRoom = 0 }: { height: number; name: string; children: () => ReactNode; endRoom?: number }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <div style={{ height, paddingInlineEnd: endRoom }} data-chart={name}>
      {mounted ? children() : null}
    </div>
  );
}
