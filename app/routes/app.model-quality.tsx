import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { BarChart, LineChart } from "@shopify/polaris-viz";
import { ChartCard } from "~/components/charts/chart-card";
import { figureFormat } from "~/components/figure-format";
import { ChartBox, InsightPage } from "~/components/insight-page";
import { readinessMessage } from "~/components/model-readiness-message";
import { dateRange, MODEL_NAMES } from "~/components/model-names";
import { useTranslation } from "~/i18n/i18n-context";
import type { CountingModelName } from "~/analytics/models/index.ts";
import { modelQualityInsight } from "~/services/insights.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return modelQualityInsight(session.shop);
}

export default function ModelQuality() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const ready = data.state === "ready" ? data : null;
  const format = figureFormat(locale, ready?.basis.currencyCode ?? null);
  const quality = ready?.quality;
  const modelName = (model: CountingModelName) => MODEL_NAMES[model];
  const frame = (children: React.ReactNode) => (
    <InsightPage
      title={t("modelQuality.title")}
      basis={ready?.basis ?? null}
      analysisStatus={data.analysisStatus}
      format={format}
      basisLine={(asOf) => t("modelQuality.basis", { date: asOf })}
      empty={{ heading: t("modelQuality.empty.heading"), body: t("modelQuality.empty.body") }}
    >
      {children}
    </InsightPage>
  );
  if (!quality) return frame(null);
  if (quality.status === "insufficient-data") {
    return frame(
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("modelQuality.insufficient.heading")}
          </Text>
          <Text as="p">{readinessMessage(t, quality.details)}</Text>
        </BlockStack>
      </Card>,
    );
  }
  const backtest = quality.backtest;
  const chosen = backtest.status === "ran" ? (backtest.ranking.find((r) => r.model === quality.chosen) ?? null) : null;
  const why =
    quality.chosenBy === "back-test" && backtest.status === "ran"
      ? t("modelQuality.choice.byBacktest", { model: modelName(quality.chosen), days: backtest.holdoutDays })
      : t("modelQuality.choice.fallback", { model: modelName(quality.chosen) });
  const meanAbsoluteError = format.comparedDecimals(backtest.status === "ran" ? backtest.ranking.map((r) => r.meanAbsoluteError) : []);
  return frame(
    <>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("modelQuality.summary.heading")}
          </Text>
          {backtest.status === "ran" && chosen ? (
            <Text as="p" variant="headingLg" id="model-quality-summary">
              {t("modelQuality.summary.sentence", {
                predicted: format.count(chosen.predictedTotal),
                days: backtest.holdoutDays,
                actual: format.count(chosen.actualTotal),
              })}
            </Text>
          ) : (
            <Text as="p">{t("modelQuality.summary.skipped", { reason: backtest.status === "skipped" ? backtest.reason : "" })}</Text>
          )}
          {backtest.status === "ran" && chosen ? (
            <Text as="p" tone="subdued">
              {t("modelQuality.summary.detail", {
                from: format.date(nextDay(backtest.calibrationEnd)),
                to: format.date(ready!.basis.asOf),
                customers: format.count(chosen.customers),
                error: chosen.relativeErrorOfTotal === null ? "—" : format.change(chosen.relativeErrorOfTotal),
              })}
            </Text>
          ) : null}
          {backtest.status === "ran" && chosen && backtest.seasonal ? (
            <Text as="p" tone="subdued">
              {t("modelQuality.summary.seasonal", { from: format.date(nextDay(backtest.calibrationEnd)) })}
            </Text>
          ) : null}
          <Text as="p">{why}</Text>
          <Text as="p" tone="subdued">
            {t("modelQuality.choice.explain")}
          </Text>
        </BlockStack>
      </Card>
      {backtest.status === "ran" ? (
        <>
          <ChartCard
            title={t("modelQuality.weekly.title")}
            definition={t("modelQuality.weekly.definition", { model: modelName(quality.chosen) })}
            table={{
              headings: [t("modelQuality.column.week"), t("modelQuality.column.predicted"), t("modelQuality.column.actual")],
              rows: (backtest.weekly ?? []).map((w) => [dateRange(format.date(w.start), format.date(w.end)), format.expectedOrders(w.predicted), format.count(w.actual)]),
            }}
            empty={backtest.weekly === null ? t("modelQuality.weekly.notInSnapshot") : null}
          >
            <ChartBox height={280}>
              <LineChart
                data={[
                  { name: t("modelQuality.column.predicted"), data: (backtest.weekly ?? []).map((w) => ({ key: format.date(w.start), value: w.predicted })) },
                  { name: t("modelQuality.column.actual"), data: (backtest.weekly ?? []).map((w) => ({ key: format.date(w.start), value: w.actual })) },
                ]}
                yAxisOptions={{ labelFormatter: (value) => format.count(Number(value)) }}
              />
            </ChartBox>
          </ChartCard>
          <ChartCard
            title={t("modelQuality.buckets.title")}
            definition={t("modelQuality.buckets.definition")}
            table={{
              headings: [t("modelQuality.column.frequency"), t("modelQuality.column.customers"), t("modelQuality.column.predictedMean"), t("modelQuality.column.actualMean")],
              rows: backtest.buckets.map((b) => [b.frequency, format.count(b.customers), format.expectedOrders(b.predictedMean), format.expectedOrders(b.actualMean)]),
            }}
            empty={backtest.buckets.every((b) => b.customers === 0) ? t("modelQuality.buckets.none") : null}
          >
            <ChartBox height={280}>
              <BarChart
                data={[
                  { name: t("modelQuality.column.predictedMean"), data: backtest.buckets.map((b) => ({ key: b.frequency, value: b.predictedMean })) },
                  { name: t("modelQuality.column.actualMean"), data: backtest.buckets.map((b) => ({ key: b.frequency, value: b.actualMean })) },
                ]}
                yAxisOptions={{ labelFormatter: (value) => format.decimal(Number(value)) }}
              />
            </ChartBox>
          </ChartCard>
          <ChartCard
            title={t("modelQuality.calibration.title")}
            definition={t("modelQuality.calibration.definition")}
            table={{
              headings: [t("modelQuality.column.aliveRange"), t("modelQuality.column.customers"), t("modelQuality.column.meanAlive"), t("modelQuality.column.predictedShare"), t("modelQuality.column.observedShare")],
              rows: backtest.aliveCalibration.map((g) => [
                `${format.percent(g.fromProbabilityAlive)} – ${format.percent(g.toProbabilityAlive)}`,
                format.count(g.customers),
                format.percent(g.meanProbabilityAlive),
                format.percent(g.predictedShareBuying),
                format.percent(g.observedShareBuying),
              ]),
            }}
            empty={backtest.aliveCalibration.length === 0 ? t("modelQuality.calibration.none") : null}
          >
            <ChartBox height={280}>
              <BarChart
                data={[
                  { name: t("modelQuality.column.predictedShare"), data: backtest.aliveCalibration.map((g) => ({ key: format.percent(g.meanProbabilityAlive), value: g.predictedShareBuying })) },
                  { name: t("modelQuality.column.observedShare"), data: backtest.aliveCalibration.map((g) => ({ key: format.percent(g.meanProbabilityAlive), value: g.observedShareBuying })) },
                ]}
                yAxisOptions={{ labelFormatter: (value) => format.axisPercent(Number(value)) }}
              />
            </ChartBox>
          </ChartCard>
          <Card padding="0">
            <BlockStack gap="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  {t("modelQuality.ranking.title")}
                </Text>
              </div>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                headings={[t("modelQuality.column.model"), t("modelQuality.column.predicted"), t("modelQuality.column.actual"), t("modelQuality.column.errorOfTotal"), t("modelQuality.column.mae")]}
                rows={[
                  ...backtest.ranking.map((r) => [
                    r.model === quality.chosen ? t("modelQuality.ranking.chosen", { model: modelName(r.model) }) : modelName(r.model),
                    format.expectedOrders(r.predictedTotal),
                    format.count(r.actualTotal),
                    r.relativeErrorOfTotal === null ? "—" : format.change(r.relativeErrorOfTotal),
                    meanAbsoluteError(r.meanAbsoluteError),
                  ]),
                  ...[...backtest.excluded, ...quality.skipped].map((e) => [t("modelQuality.ranking.left", { model: modelName(e.model) }), "—", "—", "—", "—"]),
                ]}
              />
            </BlockStack>
          </Card>
        </>
      ) : null}
    </>,
  );
}

function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
