import { BarChart, DonutChart, LineChart } from "@shopify/polaris-viz";
import { BlockStack, Text } from "@shopify/polaris";
import { CUSTOMER_TYPES } from "~/analytics/customer-types/customer-types";
import { ChartCard } from "~/components/charts/chart-card";
import { ClientOnlyChart } from "~/components/charts/client-only-chart";
import { CohortHeatmap } from "~/components/charts/cohort-heatmap";
import { RfmRings } from "~/components/charts/rfm-rings";
import { ValueFrequencyMatrix } from "~/components/charts/value-frequency-matrix";
import { skippedRfmScores } from "~/dashboard/empty-rfm-scores";
import type { FigureFormat } from "~/components/figure-format";
import { useTranslation } from "~/i18n/i18n-context";
import type { DashboardCharts } from "~/services/dashboard.server";

/** Months after the first order the retention bars show (seed 000). */
export const RETENTION_MONTHS = [1, 3, 6, 12] as const;

/**
 * Months the growth chart draws (the table lists every month). polaris-viz drops every x-axis
 * label once a month gets less than 14 px; 24 months across the page get about 40 px each, so
 * each month is named, slanted.
 */
export const GROWTH_CHART_MONTHS = 24;

/** Height of each of the growth card's two charts (total customers; new customers per month). */
const GROWTH_CHART_HEIGHT = 220;

/** F3 customer growth line: total customers and new customers per calendar month. */
export function GrowthChart({ growth, format }: { growth: DashboardCharts["growth"]; format: FigureFormat }) {
  const { t } = useTranslation();
  const complete = growth.filter((p) => !p.incomplete || growth.length === 1).slice(-GROWTH_CHART_MONTHS);
  const label = (p: (typeof growth)[number]) => (p.incomplete ? t("dashboard.v2.growth.sofar", { month: format.month(p.month) }) : format.month(p.month));
  // One series per chart, by month; both charts count customers.
  const monthly = (name: string, value: (p: (typeof growth)[number]) => number) => [{ name, data: complete.map((p) => ({ key: format.month(p.month), value: value(p) })) }];
  const countAxis = { labelFormatter: (v: string | number | null) => format.count(Number(v)), integersOnly: true };
  return (
    <ChartCard
      title={t("dashboard.v2.growth.title")}
      definition={growth.length > GROWTH_CHART_MONTHS ? `${t("dashboard.v2.growth.definition")} ${t("dashboard.v2.growth.recent", { months: GROWTH_CHART_MONTHS })}` : t("dashboard.v2.growth.definition")}
      empty={growth.length < 2 ? t("dashboard.v2.growth.empty") : null}
      table={{
        headings: [t("dashboard.v2.growth.month"), t("dashboard.v2.growth.total"), t("dashboard.v2.growth.new")],
        rows: growth.map((p) => [label(p), format.count(p.totalCustomers), format.count(p.newCustomers)]),
      }}
    >
      <ClientOnlyChart height={GROWTH_CHART_HEIGHT * 2 + 80} name="growth">
        {() => (
          // Two charts, one axis each. polaris-viz's dual-axis ComboChart draws its second series
          // on a scale that ignores where the first axis stops (the running total ran above the
          // plot, past its own axis's top label), and on one shared axis the monthly figure is a
          // flat line at the bottom (a few hundred against thousands).
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">{t("dashboard.v2.growth.total")}</Text>
            <div style={{ height: GROWTH_CHART_HEIGHT }}>
              <LineChart
                isAnimated={false}
                showLegend={false}
                data={monthly(t("dashboard.v2.growth.total"), (p) => p.totalCustomers)}
                yAxisOptions={countAxis}
              />
            </div>
            <Text as="h3" variant="headingSm">{t("dashboard.v2.growth.new")}</Text>
            <div style={{ height: GROWTH_CHART_HEIGHT }}>
              <BarChart
                isAnimated={false}
                showLegend={false}
                data={monthly(t("dashboard.v2.growth.new"), (p) => p.newCustomers)}
                yAxisOptions={countAxis}
              />
            </div>
          </BlockStack>
        )}
      </ClientOnlyChart>
    </ChartCard>
  );
}

/** F3 customer types donut (seed 000's "segments": new, returning, VIP, at risk; plus one-time inactive so it adds up). */
export function CustomerTypesDonut({ counts, format }: { counts: DashboardCharts["customerTypes"]; format: FigureFormat }) {
  const { t } = useTranslation();
  const total = CUSTOMER_TYPES.reduce((s, type) => s + counts[type], 0);
  return (
    <ChartCard
      title={t("dashboard.v2.types.title")}
      definition={t("dashboard.v2.types.definition")}
      empty={total === 0 ? t("dashboard.v2.types.empty") : null}
      table={{
        headings: [t("dashboard.v2.types.type"), t("dashboard.v2.types.customers"), t("dashboard.v2.types.share")],
        rows: CUSTOMER_TYPES.map((type) => [
          t(`dashboard.v2.type.${type}`),
          format.count(counts[type]),
          format.percent(total === 0 ? 0 : counts[type] / total),
        ]),
      }}
    >
      <ClientOnlyChart height={260} name="customer-types">
        {() => (
          <DonutChart
            isAnimated={false}
            data={CUSTOMER_TYPES.map((type) => ({
              name: t(`dashboard.v2.type.${type}`),
              data: [{ key: t(`dashboard.v2.type.${type}`), value: counts[type] }],
            }))}
            labelFormatter={(v) => format.count(Number(v))}
            showLegendValues
            legendPosition="right"
          />
        )}
      </ClientOnlyChart>
    </ChartCard>
  );
}

/** F3 RFM view: the concentric rings and the value × frequency matrix. */
export function RfmCharts({ rfm, format }: { rfm: DashboardCharts["rfm"]; format: FigureFormat }) {
  const { t } = useTranslation();
  const total = rfm.rings.r.reduce((s, c) => s + c, 0);
  const share = (counts: readonly number[], score: number) => format.percent(total === 0 ? 0 : counts[score - 1] / total);
  const labels = { r: t("dashboard.v2.rfm.recency"), f: t("dashboard.v2.rfm.frequency"), m: t("dashboard.v2.rfm.monetary") };
  return (
    <>
      <ChartCard
        title={t("dashboard.v2.rfm.ringsTitle")}
        definition={t("dashboard.v2.rfm.ringsDefinition")}
        empty={total === 0 ? t("dashboard.v2.rfm.empty") : null}
        table={{
          headings: [t("dashboard.v2.rfm.score"), labels.r, labels.f, labels.m],
          rows: [5, 4, 3, 2, 1].map((score) => [String(score), share(rfm.rings.r, score), share(rfm.rings.f, score), share(rfm.rings.m, score)]),
        }}
      >
        <BlockStack gap="200">
          <RfmRings rings={rfm.rings} labels={labels} />
          <SkippedScoresNote rings={rfm.rings} dimensions={["r", "f", "m"]} format={format} />
        </BlockStack>
      </ChartCard>
      <ChartCard
        title={t("dashboard.v2.rfm.matrixTitle")}
        definition={t("dashboard.v2.rfm.matrixDefinition")}
        empty={total === 0 ? t("dashboard.v2.rfm.empty") : null}
        table={{
          headings: [t("dashboard.v2.rfm.valueScore"), ...[1, 2, 3, 4, 5].map((f) => t("dashboard.v2.rfm.frequencyScore", { score: f }))],
          rows: rfm.valueFrequency.map((row) => [String(row.m), ...row.counts.map((c) => format.count(c))]),
        }}
      >
        <BlockStack gap="200">
          <ValueFrequencyMatrix
            rows={rfm.valueFrequency}
            formatCount={format.count}
            axis={{ value: t("dashboard.v2.rfm.valueAxis"), frequency: t("dashboard.v2.rfm.frequencyAxis") }}
          />
          <SkippedScoresNote rings={rfm.rings} dimensions={["f", "m"]} format={format} />
        </BlockStack>
      </ChartCard>
    </>
  );
}

/**
 * Why a score column or ring is empty (empty-rfm-scores.ts): customers with equal values share a
 * score, so a common value (half the customers ordered once) skips the next score.
 */
function SkippedScoresNote({ rings, dimensions, format }: { rings: DashboardCharts["rfm"]["rings"]; dimensions: readonly ("r" | "f" | "m")[]; format: FigureFormat }) {
  const { t } = useTranslation();
  return dimensions.flatMap((dimension) =>
    skippedRfmScores(rings[dimension]).map((skipped) => (
      <div key={`${dimension}-${skipped.from}`} data-skipped-scores={`${dimension}:${skipped.from}-${skipped.to}`}>
        <Text as="p" tone="subdued">
          {t("dashboard.v2.rfm.skipped", {
            scoreName: t(`dashboard.v2.rfm.skipped.${dimension}.scoreName`),
            scores: skipped.from === skipped.to ? String(skipped.from) : `${skipped.from}–${skipped.to}`,
            sameValue: t(`dashboard.v2.rfm.skipped.${dimension}.sameValue`),
            share: format.percent(skipped.sharedShare),
            shared: String(skipped.sharedScore),
          })}
        </Text>
      </div>
    )),
  );
}

/** F3 cohort retention: bars per cohort for 1, 3, 6 and 12 months after, and the full heat-map. */
export function CohortCharts({ cohorts, format }: { cohorts: DashboardCharts["cohorts"]; format: FigureFormat }) {
  const { t } = useTranslation();
  const shareAt = (c: DashboardCharts["cohorts"][number], k: number) => {
    const cell = c.retention.find((r) => r.monthsAfter === k);
    return cell && !cell.incomplete ? cell.share : null;
  };
  // The last 12 cohorts: older ones make the bars unreadable and are in the heat-map.
  const recent = cohorts.slice(-12);
  const anyMeasured = recent.some((c) => RETENTION_MONTHS.some((k) => shareAt(c, k) !== null));
  const longest = RETENTION_MONTHS.filter((k) => recent.some((c) => shareAt(c, k) !== null)).at(-1) ?? null;
  // The first horizon none of the bars' cohorts has reached. The 12 newest cohorts never reach 12
  // months, so a shop with older cohorts is told where that figure is, not that it lacks history.
  const unreached = longest === null ? undefined : RETENTION_MONTHS.find((k) => k > longest);
  const olderReachedIt = unreached !== undefined && cohorts.slice(0, -recent.length).some((c) => shareAt(c, unreached) !== null);
  const shown = (v: number | null) => (v === null ? t("dashboard.v2.cohorts.notYet") : format.percent(v));
  const maxMonths = Math.max(0, ...cohorts.map((c) => c.retention.length - 1));
  return (
    <>
      <ChartCard
        title={t("dashboard.v2.cohorts.barsTitle")}
        definition={t("dashboard.v2.cohorts.barsDefinition")}
        empty={!anyMeasured ? t("dashboard.v2.cohorts.empty") : null}
        table={{
          headings: [
            t("dashboard.v2.cohorts.cohort"),
            t("dashboard.v2.cohorts.size"),
            ...RETENTION_MONTHS.map((k) => t("dashboard.v2.cohorts.after", { months: k })),
          ],
          rows: recent.map((c) => [format.month(c.cohort), format.count(c.size), ...RETENTION_MONTHS.map((k) => shown(shareAt(c, k)))]),
        }}
      >
        <BlockStack gap="200">
          <ClientOnlyChart height={280} name="cohort-bars">
            {() => (
              <BarChart
                isAnimated={false}
                data={RETENTION_MONTHS.map((k) => ({
                  name: t("dashboard.v2.cohorts.after", { months: k }),
                  data: recent.map((c) => ({ key: format.month(c.cohort), value: shareAt(c, k) })),
                }))}
                yAxisOptions={{ labelFormatter: (v) => format.axisPercent(Number(v)) }}
                tooltipOptions={{ valueFormatter: (v) => (v === null ? t("dashboard.v2.cohorts.notYet") : format.percent(Number(v))) }}
              />
            )}
          </ClientOnlyChart>
          {unreached !== undefined ? (
            <Text as="p" tone="subdued">
              {t(olderReachedIt ? "dashboard.v2.cohorts.tooYoung" : "dashboard.v2.cohorts.shortHistory", { months: unreached, count: recent.length })}
            </Text>
          ) : null}
        </BlockStack>
      </ChartCard>
      <ChartCard
        title={t("dashboard.v2.cohorts.heatmapTitle")}
        definition={t("dashboard.v2.cohorts.heatmapDefinition")}
        empty={cohorts.length === 0 ? t("dashboard.v2.cohorts.empty") : null}
        table={{
          headings: [
            t("dashboard.v2.cohorts.cohort"),
            t("dashboard.v2.cohorts.size"),
            ...Array.from({ length: maxMonths + 1 }, (_, k) => t("dashboard.v2.cohorts.monthN", { months: k })),
          ],
          rows: cohorts.map((c) => [format.month(c.cohort), format.count(c.size), ...Array.from({ length: maxMonths + 1 }, (_, k) => shown(shareAt(c, k)))]),
        }}
      >
        <CohortHeatmap
          rows={cohorts}
          months={maxMonths}
          caption={t("dashboard.v2.cohorts.heatmapTitle")}
          headings={{
            cohort: t("dashboard.v2.cohorts.cohort"),
            size: t("dashboard.v2.cohorts.size"),
            month: (k) => t("dashboard.v2.cohorts.monthShort", { months: k }),
            notYet: t("dashboard.v2.cohorts.notYet"),
          }}
          formatMonth={format.month}
          formatCount={format.count}
          formatPercent={format.percent}
        />
      </ChartCard>
    </>
  );
}
