import { LineChart } from "@shopify/polaris-viz";
import { ChartCard } from "~/components/charts/chart-card";
import { ClientOnlyChart } from "~/components/charts/client-only-chart";
import type { FigureFormat } from "~/components/figure-format";
import { useTranslation } from "~/i18n/i18n-context";

/** A segment's members (and hold-outs) after each membership refresh, as a line over time. */
export function MemberCountChart({ history, format }: { history: { at: string; members: number; controls: number }[]; format: FigureFormat }) {
  const { t } = useTranslation();
  const hasControls = history.some((h) => h.controls > 0);
  const day = (at: string) => format.date(at.slice(0, 10));
  const series = [{ name: t("segmentPage.history.members"), data: history.map((h) => ({ key: day(h.at), value: h.members })) }];
  if (hasControls) series.push({ name: t("segmentPage.history.holdOuts"), data: history.map((h) => ({ key: day(h.at), value: h.controls })) });
  return (
    <ChartCard
      title={t("segmentPage.history.title")}
      definition={t("segmentPage.history.definition")}
      // One point is a dot, not a trend: say so instead of drawing it.
      empty={history.length < 2 ? t("segmentPage.history.empty") : null}
      table={{
        headings: [t("segmentPage.history.when"), t("segmentPage.history.members"), ...(hasControls ? [t("segmentPage.history.holdOuts")] : [])],
        rows: history.map((h) => [day(h.at), format.count(h.members), ...(hasControls ? [format.count(h.controls)] : [])]),
      }}
    >
      <ClientOnlyChart height={240} name="segment-members">
        {() => <LineChart data={series} showLegend={hasControls} isAnimated={false} yAxisOptions={{ integersOnly: true, labelFormatter: (v) => format.count(Number(v)) }} />}
      </ClientOnlyChart>
    </ChartCard>
  );
}
