/**
 * Orders by weekday × hour as a heat-map (polaris-viz has none): one cell per hour of each
 * weekday, darker for more orders, in polaris-viz's light-theme blue. Drawn in a viewBox so it
 * scales with its card; the figures themselves are in the ChartCard's table.
 */
const CELL = 22;
const GAP = 2;
const LEFT = 44;
const TOP = 18;

export function WeekdayHourHeatmap({ values, weekdayLabels, hourLabel }: { values: number[][]; weekdayLabels: string[]; hourLabel: (hour: number) => string }) {
  const max = Math.max(0, ...values.flat());
  const width = LEFT + 24 * (CELL + GAP);
  const height = TOP + values.length * (CELL + GAP);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" data-chart="weekday-hour-heatmap" style={{ display: "block", maxWidth: 720 }}>
      {Array.from({ length: 24 }, (_, hour) =>
        hour % 3 === 0 ? (
          <text key={`h${hour}`} x={LEFT + hour * (CELL + GAP) + CELL / 2} y={TOP - 6} fontSize={10} textAnchor="middle" fill="#616161">
            {hourLabel(hour)}
          </text>
        ) : null,
      )}
      {values.map((row, weekday) => (
        <g key={weekday}>
          <text x={LEFT - 6} y={TOP + weekday * (CELL + GAP) + CELL / 2 + 4} fontSize={11} textAnchor="end" fill="#303030">
            {weekdayLabels[weekday]}
          </text>
          {row.map((value, hour) => (
            <rect
              key={hour}
              x={LEFT + hour * (CELL + GAP)}
              y={TOP + weekday * (CELL + GAP)}
              width={CELL}
              height={CELL}
              rx={3}
              // Zero stays a light grey, so "no orders" is told apart from "a few".
              fill={value === 0 || max === 0 ? "#f1f1f1" : `rgba(41, 132, 252, ${0.12 + 0.88 * (value / max)})`}
            />
          ))}
        </g>
      ))}
    </svg>
  );
}
