import { HEAT_TEXT, heatFill } from "./heat-color";

export interface CohortHeatmapRow {
  cohort: string;
  size: number;
  retention: readonly { monthsAfter: number; share: number | null; incomplete: boolean }[];
}

/**
 * The cohort heat-map: one row per monthly cohort, one column per month after the first order,
 * each cell the share of the cohort that ordered in that month. A month that has not ended is
 * left empty (never a 0 %). A real table, so screen readers read it as it is.
 */
export function CohortHeatmap({
  rows,
  months,
  caption,
  headings,
  formatMonth,
  formatCount,
  formatPercent,
}: {
  rows: readonly CohortHeatmapRow[];
  months: number;
  caption: string;
  headings: { cohort: string; size: string; month: (k: number) => string; notYet: string };
  formatMonth: (yearMonth: string) => string;
  formatCount: (value: number) => string;
  formatPercent: (value: number) => string;
}) {
  const cellStyle = { padding: "3px 3px", textAlign: "right" as const, fontVariantNumeric: "tabular-nums" as const, whiteSpace: "nowrap" as const };
  return (
    <div style={{ overflowX: "auto" }}>
      <table style={{ borderCollapse: "separate", borderSpacing: 2, fontSize: 11, width: "100%" }} data-chart="cohort-heatmap">
        <caption style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" style={{ ...cellStyle, textAlign: "left" }}>
              {headings.cohort}
            </th>
            <th scope="col" style={cellStyle}>
              {headings.size}
            </th>
            {Array.from({ length: months + 1 }, (_, k) => (
              <th scope="col" key={k} style={cellStyle}>
                {headings.month(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.cohort}>
              <th scope="row" style={{ ...cellStyle, textAlign: "left", fontWeight: 500 }}>
                {formatMonth(row.cohort)}
              </th>
              <td style={cellStyle}>{formatCount(row.size)}</td>
              {Array.from({ length: months + 1 }, (_, k) => {
                const cell = row.retention.find((c) => c.monthsAfter === k);
                const share = cell && !cell.incomplete ? cell.share : null;
                return share === null ? (
                  <td key={k} style={cellStyle}>
                    <span style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>{headings.notYet}</span>
                  </td>
                ) : (
                  <td key={k} style={{ ...cellStyle, background: heatFill(share), color: HEAT_TEXT, borderRadius: 3 }}>
                    {formatPercent(share)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
