/**
 * One customer's orders along time (polaris-viz has no dot timeline): a dot per order on a
 * line from the first to the as-of day, larger for larger orders, hollow for orders the analysis
 * does not count (test, cancelled). The orders themselves are in the ChartCard's table.
 */
import { dayIndexFromIsoDate } from "~/analytics/calendar/calendar-day";

const WIDTH = 720;
const HEIGHT = 80;
const PAD = 24;

export interface TimelineOrder {
  day: string;
  amount: number;
  counted: boolean;
}

export function OrderTimeline({ orders, endDay, dayLabel }: { orders: TimelineOrder[]; endDay: string; dayLabel: (isoDay: string) => string }) {
  const days = orders.map((o) => dayIndexFromIsoDate(o.day));
  const first = Math.min(...days);
  const last = Math.max(dayIndexFromIsoDate(endDay), ...days);
  const span = Math.max(1, last - first);
  const maxAmount = Math.max(1, ...orders.map((o) => Math.abs(o.amount)));
  const x = (day: number) => PAD + ((day - first) / span) * (WIDTH - 2 * PAD);
  const firstLabel = orders.reduce((a, o) => (o.day < a ? o.day : a), orders[0]?.day ?? endDay);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" data-chart="order-timeline" style={{ display: "block" }}>
      <line x1={PAD} x2={WIDTH - PAD} y1={36} y2={36} stroke="#c9c9c9" strokeWidth={2} />
      {orders.map((o, i) => {
        const r = 4 + 8 * Math.sqrt(Math.abs(o.amount) / maxAmount);
        return o.counted ? (
          <circle key={i} cx={x(days[i])} cy={36} r={r} fill="rgba(41, 132, 252, 0.75)" stroke="#1f5199" strokeWidth={1} />
        ) : (
          <circle key={i} cx={x(days[i])} cy={36} r={r} fill="none" stroke="#8a8a8a" strokeDasharray="2 2" strokeWidth={1.5} />
        );
      })}
      <text x={PAD} y={70} fontSize={11} fill="#616161">
        {dayLabel(firstLabel)}
      </text>
      <text x={WIDTH - PAD} y={70} fontSize={11} fill="#616161" textAnchor="end">
        {dayLabel(endDay)}
      </text>
    </svg>
  );
}
