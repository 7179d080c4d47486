/** Named RFM groups (METRICS.md "RFM": the common map). */
export type RfmGroup =
  | "champions"
  | "loyal"
  | "potential-loyalist"
  | "new"
  | "promising"
  | "need-attention"
  | "about-to-sleep"
  | "at-risk"
  | "cant-lose"
  | "hibernating"
  | "lost";

export const RFM_GROUPS: readonly RfmGroup[] = [
  "champions",
  "loyal",
  "potential-loyalist",
  "new",
  "promising",
  "need-attention",
  "about-to-sleep",
  "at-risk",
  "cant-lose",
  "hibernating",
  "lost",
];

/**
 * The common R × FM group map (the 5 × 5 grid popularised by RFM tutorials and used by
 * Klaviyo-style "RFM groups"), on R and FM = round((F + M) ÷ 2):
 *
 * | R \ FM | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | new | potential loyalist | potential loyalist | champions | champions |
 * | 4 | promising | potential loyalist | potential loyalist | loyal | loyal |
 * | 3 | about to sleep | about to sleep | need attention | loyal | loyal |
 * | 2 | hibernating | hibernating | at risk | at risk | can't lose |
 * | 1 | lost | hibernating | at risk | at risk | can't lose |
 *
 * Every cell has exactly one name, so the groups partition the scored customers.
 */
export function rfmGroup(r: number, f: number, m: number): RfmGroup {
  const fm = Math.floor((f + m) / 2 + 0.5);
  if (r >= 4) {
    if (r === 5 && fm >= 4) return "champions";
    if (fm >= 4) return "loyal";
    if (fm >= 2) return "potential-loyalist";
    return r === 5 ? "new" : "promising";
  }
  if (r === 3) {
    if (fm >= 4) return "loyal";
    if (fm === 3) return "need-attention";
    return "about-to-sleep";
  }
  if (fm === 5) return "cant-lose";
  if (fm >= 3) return "at-risk";
  if (r === 1 && fm === 1) return "lost";
  return "hibernating";
}
