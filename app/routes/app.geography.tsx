import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Button, ButtonGroup, Card, DataTable } from "@shopify/polaris";
import { BarChart } from "@shopify/polaris-viz";
import { useState } from "react";
import type { GeographyRow } from "~/analytics/geography/geography-breakdown";
import { ChartCard } from "~/components/charts/chart-card";
import { figureFormat } from "~/components/figure-format";
import { BarListBox, compactMoney, InsightPage } from "~/components/insight-page";
import { useTranslation } from "~/i18n/i18n-context";
import { countryNamer } from "~/components/country-name";
import type { TranslationKey } from "~/i18n/translate";
import { geographyInsight } from "~/services/insights.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return geographyInsight(session.shop);
}

const LEVELS = ["countries", "regions", "cities"] as const;
type Level = (typeof LEVELS)[number];
/** Bars drawn; the table lists every stored row. */
const CHART_ROWS = 10;

export default function Geography() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const [level, setLevel] = useState<Level>("countries");
  const ready = data.state === "ready" ? data : null;
  const format = figureFormat(locale, ready?.basis.currencyCode ?? null);
  const axisMoney = compactMoney(locale, ready?.basis.currencyCode ?? null);
  const countryName = countryNamer(locale, t("geography.unknown"));
  const placeName = (row: GeographyRow) => {
    const unknown = (name: string | undefined) => (name === undefined || name === "unknown" ? t("geography.unknown") : name);
    if (level === "countries") return countryName(row.country);
    if (level === "regions") return `${unknown(row.province)}, ${countryName(row.country)}`;
    return `${unknown(row.city)}, ${countryName(row.country)}`;
  };
  const rows = ready ? ready.geography[level] : [];
  const headings = [t(`geography.column.${level}` as TranslationKey), t("geography.column.customers"), t("geography.column.revenue"), t("geography.column.ltv")];
  const tableRows = rows.map((row) => [placeName(row), format.count(row.customers), format.money(row.revenue), format.money(row.ltv)]);
  return (
    <InsightPage
      title={t("geography.title")}
      basis={ready?.basis ?? null}
      analysisStatus={data.analysisStatus}
      format={format}
      basisLine={(asOf) => t("geography.basis", { date: asOf, basis: t(`settings.revenueBasis.${ready?.basis.revenueBasis ?? "current_total"}` as TranslationKey) })}
      empty={{ heading: t("geography.empty.heading"), body: t("geography.empty.body") }}
    >
      <ChartCard
        title={t(`geography.chart.${level}` as TranslationKey)}
        definition={t("geography.definition", { count: CHART_ROWS })}
        table={{ headings, rows: tableRows }}
        empty={rows.length === 0 ? t("geography.none") : null}
        actions={
          <ButtonGroup variant="segmented">
            {LEVELS.map((l) => (
              <Button key={l} pressed={l === level} onClick={() => setLevel(l)}>
                {t(`geography.level.${l}` as TranslationKey)}
              </Button>
            ))}
          </ButtonGroup>
        }
      >
        <BarListBox bars={Math.min(CHART_ROWS, rows.length)}>
          <BarChart
            direction="horizontal"
            showLegend={false}
            data={[{ name: t("geography.column.revenue"), data: rows.slice(0, CHART_ROWS).map((row) => ({ key: placeName(row), value: row.revenue })) }]}
            xAxisOptions={{ labelFormatter: (value) => axisMoney(Number(value)) }}
          />
        </BarListBox>
      </ChartCard>
      {rows.length > 0 ? (
        <Card padding="0">
          <DataTable columnContentTypes={["text", "numeric", "numeric", "numeric"]} headings={headings} rows={tableRows} />
        </Card>
      ) : null}
    </InsightPage>
  );
}
