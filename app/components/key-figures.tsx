import { Badge, BlockStack, Box, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import type { DashboardAnalysis, DashboardFigure, DashboardMetricKey } from "~/services/dashboard.server";
import type { FigureFormat } from "./figure-format";

/** How each key metric is written and which direction of change is good for the shop. */
const METRIC_STYLE: Record<DashboardMetricKey, { unit: "count" | "money" | "percent" | "decimal"; better: "up" | "down" | "neutral" }> = {
  "total-customers": { unit: "count", better: "up" },
  "new-customers": { unit: "count", better: "up" },
  ltv: { unit: "money", better: "up" },
  "repeat-purchase-rate": { unit: "percent", better: "up" },
  "retention-rate": { unit: "percent", better: "up" },
  "churn-rate-monthly": { unit: "percent", better: "down" },
  aov: { unit: "money", better: "up" },
  "orders-per-customer": { unit: "decimal", better: "up" },
  "guest-order-share": { unit: "percent", better: "neutral" },
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
  const style = METRIC_STYLE[figure.key];
  const show = (value: number | null) => (value === null ? t("dashboard.metrics.notAvailable") : format[style.unit](value));
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
          <ChangeBadge change={figure.change} better={style.better} format={format} t={t} />
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
  change,
  better,
  format,
  t,
}: {
  change: number | null;
  better: "up" | "down" | "neutral";
  format: FigureFormat;
  t: ReturnType<typeof useTranslation>["t"];
}) {
  if (change === null) return <Badge>{t("dashboard.metrics.noComparison")}</Badge>;
  if (change === 0) return <Badge>{t("dashboard.metrics.unchanged")}</Badge>;
  const good = better === "neutral" ? null : (change > 0) === (better === "up");
  return (
    <Badge tone={good === null ? "info" : good ? "success" : "critical"}>
      {format.change(change)}
    </Badge>
  );
}
