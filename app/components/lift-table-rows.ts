import type { Translate, TranslationKey } from "~/i18n/translate";
import type { Difference, LiftReport } from "~/tag-push/lift";
import type { FigureFormat } from "./figure-format";

type MeasuredLift = Extract<LiftReport, { state: "measured" }>;

/**
 * The lift table's rows (metric, tagged, control group, difference, 95 % interval, result): means
 * in their own unit; conversion's difference and interval in percentage points, since a difference
 * of two shares is not a percentage of either ("+2.5 pp", not "2.5%").
 */
export function liftTableRows(lift: MeasuredLift, format: FigureFormat, t: Translate): string[][] {
  const points = (v: number) => format.signedDecimal(v * 100);
  const rows: [string, Difference, (v: number) => string, boolean][] = [
    ["orders", lift.orders, format.decimal, false],
    ["revenue", lift.revenue, format.money, false],
    ["conversion", lift.conversion, format.percent, true],
  ];
  return rows.map(([key, d, f, inPoints]) => [
    t(`tagPush.lift.row.${key}` as TranslationKey),
    f(d.tagged),
    f(d.holdOut),
    inPoints ? t("dashboard.metrics.points", { value: points(d.difference) }) : f(d.difference),
    inPoints ? t("dashboard.metrics.points", { value: `${points(d.low)} – ${points(d.high)}` }) : `${f(d.low)} – ${f(d.high)}`,
    d.significant ? t("tagPush.lift.significant") : t("tagPush.lift.notSignificant"),
  ]);
}
