import { heatFill } from "./heat-color";

/**
 * Seed 000's RFM rings: three sectors (recency, frequency, monetary value), each made of five
 * concentric rings, score 5 innermost to score 1 outermost — the most valuable customers sit in
 * the middle, those drifting away on the outside. A ring's colour is how many customers have
 * that score. Drawn by us: polaris-viz has no radial chart of this kind.
 */
export function RfmRings({ rings, labels }: { rings: { r: readonly number[]; f: readonly number[]; m: readonly number[] }; labels: { r: string; f: string; m: string } }) {
  const size = 260;
  const margin = 100;
  const centre = size / 2 + margin;
  const inner = 18;
  const width = 20;
  const sectors = [
    { key: "r" as const, from: -90, to: 30, anchor: "start" as const },
    { key: "f" as const, from: 30, to: 150, anchor: "middle" as const },
    { key: "m" as const, from: 150, to: 270, anchor: "end" as const },
  ];
  const point = (radius: number, degrees: number) => {
    const rad = (degrees * Math.PI) / 180;
    return `${(centre + radius * Math.cos(rad)).toFixed(2)} ${(centre + radius * Math.sin(rad)).toFixed(2)}`;
  };
  const band = (r0: number, r1: number, from: number, to: number) =>
    `M ${point(r1, from)} A ${r1} ${r1} 0 0 1 ${point(r1, to)} L ${point(r0, to)} A ${r0} ${r0} 0 0 0 ${point(r0, from)} Z`;
  return (
    <svg viewBox={`0 0 ${size + 2 * margin} ${size + 2 * margin}`} width="100%" style={{ maxWidth: 440, display: "block", margin: "0 auto" }} data-chart="rfm-rings">
      {sectors.map(({ key, from, to, anchor }) => {
        const counts = rings[key];
        const total = counts.reduce((s, c) => s + c, 0);
        // Quintile scores spread customers evenly by design; colour against the sector's largest
        // ring so the differences that exist (ties in frequency, in value) show.
        const largest = Math.max(1, ...counts);
        // Score 5 innermost: index 4 of the distribution (scores 1…5).
        return (
          <g key={key}>
            {[5, 4, 3, 2, 1].map((score, ring) => {
              const share = total === 0 ? 0 : counts[score - 1] / total;
              return (
                <path
                  key={score}
                  d={band(inner + ring * width, inner + (ring + 1) * width - 1.5, from + 1.5, to - 1.5)}
                  fill={heatFill(counts[score - 1] / largest)}
                  data-score={score}
                  data-share={share.toFixed(4)}
                />
              );
            })}
            <text
              x={centre + (inner + 5 * width + 12) * Math.cos((((from + to) / 2) * Math.PI) / 180)}
              y={centre + (inner + 5 * width + 12) * Math.sin((((from + to) / 2) * Math.PI) / 180) + 4}
              textAnchor={anchor}
              fontSize="13"
              fill="#303030"
            >
              {labels[key]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
