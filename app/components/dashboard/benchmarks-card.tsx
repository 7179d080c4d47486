import { Link } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { BenchmarkRating } from "~/analytics/benchmarks/benchmark-ratings";
import type { FigureFormat } from "~/components/figure-format";
import { useTranslation } from "~/i18n/i18n-context";
import type { DashboardCharts } from "~/services/dashboard.server";

const RATING_TONE: Record<BenchmarkRating, "critical" | "attention" | "success" | "info"> = {
  "below-average": "critical",
  average: "attention",
  good: "info",
  excellent: "success",
};

/** F4: the shop's LTV:CAC, retention, monthly churn and repeat rate against seed 000's bands, rated. */
export function BenchmarksCard({ charts, format }: { charts: DashboardCharts; format: FigureFormat }) {
  const { t } = useTranslation();
  const value = (metric: string, v: number | null) => {
    if (v === null) return t("dashboard.metrics.notAvailable");
    return metric === "ltv-cac" ? t("dashboard.v2.benchmarks.ratio", { value: format.decimal(v) }) : format.percent(v);
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.v2.benchmarks.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("dashboard.v2.benchmarks.definition")}
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text"]}
          headings={[
            t("dashboard.v2.benchmarks.metric"),
            t("dashboard.v2.benchmarks.yours"),
            t("dashboard.v2.benchmarks.average"),
            t("dashboard.v2.benchmarks.good"),
            t("dashboard.v2.benchmarks.excellent"),
            t("dashboard.v2.benchmarks.rating"),
          ]}
          rows={charts.benchmarks.map((b) => [
            t(`dashboard.v2.benchmarks.metric.${b.metric}`),
            <span key="v" data-benchmark={b.metric}>
              {value(b.metric, b.value)}
            </span>,
            b.bands.average,
            b.bands.good,
            b.bands.excellent,
            b.rating ? (
              // The badge's words are the rating; no hidden tone word ("Geslaagd") is read after them.
              <Badge key="r" tone={RATING_TONE[b.rating]}>
                {t(`dashboard.v2.rating.${b.rating}`)}
              </Badge>
            ) : (
              t("dashboard.v2.rating.none")
            ),
          ])}
        />
        {charts.marketingSpendMissing ? (
          <Text as="p">
            {t("dashboard.v2.benchmarks.spendMissing")} <Link to="/app/settings">{t("dashboard.v2.benchmarks.spendLink")}</Link>
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
