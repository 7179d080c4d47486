/**
 * The one colour scale of our own charts (RFM rings, value × frequency matrix, cohort heat-map):
 * Polaris' blue at an opacity growing with the share, so a darker cell is more customers. The
 * darkest fill stops where black text on it still has a 4.5:1 contrast (WCAG AA), so every
 * cell's figure stays readable in one text colour.
 */
const MIN_ALPHA = 0.06;
const MAX_ALPHA = 0.72;

export function heatFill(share: number): string {
  const alpha = MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * Math.max(0, Math.min(1, share));
  return `rgba(0, 91, 211, ${alpha.toFixed(3)})`;
}

export const HEAT_TEXT = "#000000";
