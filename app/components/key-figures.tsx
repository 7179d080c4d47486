import { Badge, BlockStack, Box, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import type { DashboardAnalysis, DashboardFigure, DashboardMetricKey } from "~/services/dashboard.server";
import type { FigureFormat } from "./figure-format";
import { metricChangeTone, NO_CHANGE } from "./metric-change-tone";

/** How each key metric is written. */
const METRIC_UNIT: Record<DashboardMetricKey, "count" | "money" | "percent" | "decimal"> = {
  "total-customers": "count",
  "new-customers": "count",
  ltv: "money",
  "repeat-purchase-rate": "percent",
  "retention-rate": "percent",
  "churn-rate-monthly": "percent",
  aov: "money",
  "orders-per-customer": "decimal",
  "guest-order-share": "percent",
};

/** F2: each key metric with its value, its change against the previous period and its definition. */
export function KeyFigures({ analysis, format }: { analysis: DashboardAnalysis; format: FigureFormat }) {
  const { t } = useTranslation();
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
      {analysis.figures.map((figure) => (
        <KeyFigure key={figure.key} figure={figure} format={format} comparable={analysis.previousPeriod !== null} t={t} />
      ))}
    </InlineGrid>
  );
}

function KeyFigure({
  figure,
  format,
  comparable,
  t,
}: {
  figure: DashboardFigure;
  format: FigureFormat;
  comparable: boolean;
  t: ReturnType<typeof useTranslation>["t"];
}) {
  const unit = METRIC_UNIT[figure.key];
  const show = (value: number | null) => (value === null ? t("dashboard.metrics.notAvailable") : format[unit](value));
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {t(`metric.${figure.key}.name` as TranslationKey)}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="p" variant="headingLg" tone={figure.value === null ? "subdued" : undefined}>
            <span data-metric={figure.key}>{show(figure.value)}</span>
          </Text>
          <ChangeBadge metric={figure.key} change={figure.change} unit={figure.changeUnit} format={format} t={t} />
        </InlineStack>
        {comparable ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {t("dashboard.metrics.previous", { value: show(figure.previous) })}
          </Text>
        ) : null}
        <Box>
          <Text as="p" variant="bodySm" tone="subdued">
            {t(`metric.${figure.key}.definition` as TranslationKey)}
          </Text>
        </Box>
      </BlockStack>
    </Card>
  );
}

function ChangeBadge({
  metric,
  change,
  unit,
  format,
  t,
}: {
  metric: DashboardMetricKey;
  change: number | null;
  unit: DashboardFigure["changeUnit"];
  format: FigureFormat;
  t: ReturnType<typeof useTranslation>["t"];
}) {
  if (change === null) return <Badge>{t("dashboard.metrics.noComparison")}</Badge>;
  // What rounds to "0.0" is no change: neutral, never a green or red "+0 %".
  if (Math.abs(change) < NO_CHANGE) return <Badge>{t("dashboard.metrics.unchanged")}</Badge>;
  const text = unit === "points" ? t("dashboard.metrics.points", { value: format.signedDecimal(change * 100) }) : format.change(change);
  return <Badge tone={metricChangeTone(metric, change)}>{text}</Badge>;
}
