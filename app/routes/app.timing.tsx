import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart } from "@shopify/polaris-viz";
import { WEEKDAYS } from "~/analytics/timing/weekday-hour";
import { ChartCard } from "~/components/charts/chart-card";
import { WeekdayHourHeatmap } from "~/components/charts/weekday-hour-heatmap";
import { figureFormat } from "~/components/figure-format";
import { ChartBox, InsightPage } from "~/components/insight-page";
import { readinessMessage } from "~/components/model-readiness-message";
import { dateRange, MODEL_NAMES } from "~/components/model-names";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { timingInsight } from "~/services/insights.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return timingInsight(session.shop);
}

export default function Timing() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const ready = data.state === "ready" ? data : null;
  const format = figureFormat(locale, ready?.basis.currencyCode ?? null);
  const weekdayLabels = WEEKDAYS.map((day) => t(`timing.weekday.${day}` as TranslationKey));
  const hourLabel = (hour: number) => String(hour).padStart(2, "0");
  const orders = ready?.weekdayHour.orders ?? [];
  const totalOrders = orders.flat().reduce((s, v) => s + v, 0);
  const perWeekday = orders.map((row) => row.reduce((s, v) => s + v, 0));
  const coming = ready?.comingWeeks;
  const weeks = coming && "weeks" in coming ? coming.weeks : [];
  const weekStartLabel = new Map(weeks.map((w) => [format.date(w.start), format.dayMonth(w.start)]));
  let comingEmpty: string | null = null;
  if (coming && !("weeks" in coming)) comingEmpty = coming.reason === "insufficient-data" ? readinessMessage(t, coming.details) : t("timing.coming.notInSnapshot");
  return (
    <InsightPage
      title={t("timing.title")}
      basis={ready?.basis ?? null}
      analysisStatus={data.analysisStatus}
      format={format}
      basisLine={(asOf) => t("timing.basis", { date: asOf })}
      empty={{ heading: t("timing.empty.heading"), body: t("timing.empty.body") }}
    >
      <ChartCard
        title={t("timing.heatmap.title")}
        definition={t("timing.heatmap.definition")}
        table={{
          headings: [t("timing.column.weekday"), ...Array.from({ length: 24 }, (_, hour) => hourLabel(hour))],
          rows: orders.map((row, weekday) => [weekdayLabels[weekday], ...row.map((v) => format.count(v))]),
        }}
        empty={totalOrders === 0 ? t("timing.none") : ready && !ready.weekdayHour.hasTimeOfDay ? t("timing.heatmap.noTimeOfDay") : null}
      >
        <WeekdayHourHeatmap values={orders} weekdayLabels={weekdayLabels} hourLabel={hourLabel} />
      </ChartCard>
      <ChartCard
        title={t("timing.weekdays.title")}
        definition={t("timing.weekdays.definition")}
        table={{ headings: [t("timing.column.weekday"), t("timing.column.orders")], rows: perWeekday.map((v, weekday) => [weekdayLabels[weekday], format.count(v)]) }}
        empty={totalOrders === 0 ? t("timing.none") : null}
      >
        <ChartBox height={240}>
          <BarChart
            showLegend={false}
            data={[{ name: t("timing.column.orders"), data: perWeekday.map((value, weekday) => ({ key: weekdayLabels[weekday], value })) }]}
            yAxisOptions={{ integersOnly: true, labelFormatter: (value) => format.count(Number(value)) }}
          />
        </ChartBox>
      </ChartCard>
      <ChartCard
        title={t("timing.coming.title")}
        definition={
          coming && "weeks" in coming
            ? t("timing.coming.definition", {
                model: MODEL_NAMES[coming.model],
                total: format.count(coming.total.estimate),
                interval:
                  coming.total.lower !== null && coming.total.upper !== null
                    ? t("timing.coming.interval", { low: format.count(coming.total.lower), high: format.count(coming.total.upper) })
                    : "",
              }) + (coming.seasonal ? t("timing.coming.seasonal") : "")
            : t("timing.coming.definitionNone")
        }
        table={{
          headings: [t("timing.column.week"), t("timing.column.expected")],
          rows: weeks.map((w) => [dateRange(format.date(w.start), format.date(w.end)), format.expectedOrders(w.expected)]),
        }}
        empty={comingEmpty}
      >
        <ChartBox height={260}>
          <BarChart
            showLegend={false}
            data={[{ name: t("timing.column.expected"), data: weeks.map((w) => ({ key: format.date(w.start), value: w.expected })) }]}
            // The week's first day without its year: whole dates were cut short ("28. dec. 20…"); the table has them whole.
            xAxisOptions={{ labelFormatter: (key) => weekStartLabel.get(String(key)) ?? String(key) }}
            yAxisOptions={{ labelFormatter: (value) => format.decimal(Number(value)) }}
          />
        </ChartBox>
      </ChartCard>
    </InsightPage>
  );
}
