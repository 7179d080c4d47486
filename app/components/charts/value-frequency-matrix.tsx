import { HEAT_TEXT, heatFill } from "./heat-color";

/**
 * RFM value × frequency matrix: monetary score (rows, 5 at the top) against frequency score
 * (columns, 1…5), each cell the number of customers with that pair, coloured by its share of
 * the largest cell. Our own SVG: a heat-map has no polaris-viz chart.
 */
export function ValueFrequencyMatrix({
  rows,
  formatCount,
  axis,
}: {
  rows: readonly { m: number; counts: readonly number[] }[];
  formatCount: (value: number) => string;
  axis: { value: string; frequency: string };
}) {
  const cell = 52;
  const left = 40;
  const top = 8;
  const max = Math.max(1, ...rows.flatMap((r) => r.counts));
  const height = top + rows.length * cell + 44;
  return (
    <svg viewBox={`0 0 ${left + 5 * cell + 8} ${height}`} width="100%" style={{ maxWidth: 380, display: "block", margin: "0 auto" }} data-chart="value-frequency">
      {rows.map((row, i) => (
        <g key={row.m}>
          <text x={left - 8} y={top + i * cell + cell / 2 + 4} textAnchor="end" fontSize="12" fill="#303030">
            {row.m}
          </text>
          {row.counts.map((count, f) => (
            <g key={f}>
              <rect x={left + f * cell} y={top + i * cell} width={cell - 3} height={cell - 3} rx={4} fill={heatFill(count / max)} />
              <text x={left + f * cell + (cell - 3) / 2} y={top + i * cell + cell / 2 + 3} textAnchor="middle" fontSize="11" fill={HEAT_TEXT}>
                {formatCount(count)}
              </text>
            </g>
          ))}
        </g>
      ))}
      {[1, 2, 3, 4, 5].map((f) => (
        <text key={f} x={left + (f - 1) * cell + (cell - 3) / 2} y={top + rows.length * cell + 14} textAnchor="middle" fontSize="12" fill="#303030">
          {f}
        </text>
      ))}
      <text x={left + (5 * cell) / 2} y={top + rows.length * cell + 36} textAnchor="middle" fontSize="12" fill="#616161">
        {axis.frequency}
      </text>
      <text x={12} y={top + (rows.length * cell) / 2} textAnchor="middle" fontSize="12" fill="#616161" transform={`rotate(-90 12 ${top + (rows.length * cell) / 2})`}>
        {axis.value}
      </text>
    </svg>
  );
}
