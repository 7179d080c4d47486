import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Button, ButtonGroup, InlineStack, Select } from "@shopify/polaris";
import { BarChart } from "@shopify/polaris-viz";
import { useState } from "react";
import { ChartCard } from "~/components/charts/chart-card";
import { figureFormat } from "~/components/figure-format";
import { BarListBox, ChartBox, InsightPage } from "~/components/insight-page";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { acquisitionInsight } from "~/services/insights.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return acquisitionInsight(session.shop);
}

const SPANS = ["months", "years"] as const;
type Span = (typeof SPANS)[number];
/** What a new customer is counted by: the first order's source, its sales channel, or the first visit's UTM source. */
const DIMENSIONS = ["source", "channel", "firstVisit"] as const;
type Dimension = (typeof DIMENSIONS)[number];
/** Months drawn in the monthly chart (the table has them all). */
const CHART_MONTHS = 24;

export default function Acquisition() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const [span, setSpan] = useState<Span>("months");
  const [dimension, setDimension] = useState<Dimension>("source");
  const ready = data.state === "ready" ? data : null;
  const format = figureFormat(locale, ready?.basis.currencyCode ?? null);
  const stored = ready?.acquisition;
  // Snapshots stored before the channel and UTM breakdowns existed have the source one only.
  const acquisition = dimension === "source" ? stored : dimension === "channel" ? stored?.byChannel : stored?.byFirstVisit;
  const sourceName = (source: string) => (source === "unknown" ? t("acquisition.unknownSource") : source);
  const monthName = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
  const periods =
    span === "months"
      ? (acquisition?.months ?? []).map((m) => ({ label: monthName.format(new Date(`${m.month}-01T00:00:00Z`)), newCustomers: m.newCustomers }))
      : (acquisition?.years ?? []).map((y) => ({ label: y.year, newCustomers: y.newCustomers }));
  const sources = acquisition?.sources ?? [];
  const drawn = span === "months" ? periods.slice(-CHART_MONTHS) : periods;
  const totals = sources.map((_, i) => periods.reduce((s, p) => s + p.newCustomers[i], 0));
  return (
    <InsightPage
      title={t("acquisition.title")}
      basis={ready?.basis ?? null}
      analysisStatus={data.analysisStatus}
      format={format}
      basisLine={(asOf) => t("acquisition.basis", { date: asOf })}
      empty={{ heading: t("acquisition.empty.heading"), body: t("acquisition.empty.body") }}
    >
      <ChartCard
        title={t(`acquisition.chart.${span}.${dimension}` as TranslationKey)}
        definition={t(`acquisition.definition.${dimension}` as TranslationKey, { months: CHART_MONTHS })}
        table={{
          headings: [t(`acquisition.column.${span}` as TranslationKey), ...sources.map(sourceName), t("acquisition.column.total")],
          rows: periods.map((p) => [p.label, ...p.newCustomers.map((v) => format.count(v)), format.count(p.newCustomers.reduce((s, v) => s + v, 0))]),
        }}
        empty={stored && !acquisition ? t("acquisition.notInSnapshot") : periods.length === 0 ? t("acquisition.none") : null}
        actions={
          <InlineStack gap="200">
            <Select
              label={t("acquisition.dimension.label")}
              labelInline
              options={DIMENSIONS.map((d) => ({ value: d, label: t(`acquisition.dimension.${d}` as TranslationKey) }))}
              value={dimension}
              onChange={(value) => setDimension(value as Dimension)}
            />
            <ButtonGroup variant="segmented">
              {SPANS.map((s) => (
                <Button key={s} pressed={s === span} onClick={() => setSpan(s)}>
                  {t(`acquisition.span.${s}` as TranslationKey)}
                </Button>
              ))}
            </ButtonGroup>
          </InlineStack>
        }
      >
        <ChartBox height={300}>
          <BarChart
            type="stacked"
            data={sources.map((source, i) => ({ name: sourceName(source), data: drawn.map((p) => ({ key: p.label, value: p.newCustomers[i] })) }))}
            yAxisOptions={{ integersOnly: true, labelFormatter: (value) => format.count(Number(value)) }}
          />
        </ChartBox>
      </ChartCard>
      <ChartCard
        title={t(`acquisition.sources.title.${dimension}` as TranslationKey)}
        definition={t("acquisition.sources.definition")}
        table={{
          headings: [t(`acquisition.dimension.${dimension}` as TranslationKey), t("acquisition.column.newCustomers"), t("acquisition.column.share")],
          rows: sources.map((source, i) => [sourceName(source), format.count(totals[i]), format.percent(totals[i] / Math.max(1, totals.reduce((s, v) => s + v, 0)))]),
        }}
        empty={stored && !acquisition ? t("acquisition.notInSnapshot") : sources.length === 0 ? t("acquisition.none") : null}
      >
        <BarListBox bars={sources.length}>
          <BarChart
            direction="horizontal"
            showLegend={false}
            data={[{ name: t("acquisition.column.newCustomers"), data: sources.map((source, i) => ({ key: sourceName(source), value: totals[i] })) }]}
            xAxisOptions={{ labelFormatter: (value) => format.count(Number(value)) }}
          />
        </BarListBox>
      </ChartCard>
    </InsightPage>
  );
}
