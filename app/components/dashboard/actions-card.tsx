import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import type { FigureFormat } from "~/components/figure-format";
import { useTranslation } from "~/i18n/i18n-context";
import type { DashboardCharts } from "~/services/dashboard.server";

/**
 * F5 recommended actions: seed 000's four rules, the ones that apply first, each with the
 * figure that triggered it, the seed's advice and a link that builds its segment.
 */
export function ActionsCard({ actions, format }: { actions: DashboardCharts["actions"]; format: FigureFormat }) {
  const { t } = useTranslation();
  const ordered = [...actions].sort((a, b) => Number(b.triggered) - Number(a.triggered));
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? t("dashboard.metrics.notAvailable") : format.percent(v));
  const num = (v: number | null | undefined) => (v === null || v === undefined ? t("dashboard.metrics.notAvailable") : format.count(v));
  const evidence = (a: DashboardCharts["actions"][number]) => {
    const f = a.figures;
    switch (a.id) {
      case "small-vip-segment":
        return t("dashboard.v2.action.small-vip-segment.figures", { share: pct(f.vipShare), expected: pct(f.vipGroupShare) });
      case "rising-churn":
        return t("dashboard.v2.action.rising-churn.figures", { now: pct(f.churnRate), before: pct(f.previousChurnRate) });
      case "leaky-bucket":
        return t("dashboard.v2.action.leaky-bucket.figures", { now: num(f.newCustomers), before: num(f.previousNewCustomers), retention: pct(f.retentionRate) });
      case "growing-at-risk":
        return t("dashboard.v2.action.growing-at-risk.figures", { now: num(f.atRiskNow), before: num(f.atRiskAtPeriodStart) });
    }
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.v2.actions.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("dashboard.v2.actions.definition")}
        </Text>
        {ordered.map((a, i) => (
          <BlockStack gap="150" key={a.id}>
            {i > 0 ? <Divider /> : null}
            <Box paddingBlockStart={i > 0 ? "200" : "0"}>
              <BlockStack gap="100">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {t(`dashboard.v2.action.${a.id}.title`)}
                  </Text>
                  <Badge tone={a.triggered ? "attention" : undefined}>
                    {a.triggered ? t("dashboard.v2.actions.applies") : t("dashboard.v2.actions.notNow")}
                  </Badge>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {evidence(a)}
                </Text>
                <Text as="p">{t(`dashboard.v2.action.${a.id}.advice`)}</Text>
                <Link to={`/app/segments/from-action/${a.id}`} data-action={a.id}>
                  {t("dashboard.v2.actions.segmentLink", { title: t(`dashboard.v2.action.${a.id}.title`) })}
                </Link>
              </BlockStack>
            </Box>
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
