import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Layout, Page, Select, Text } from "@shopify/polaris";
import { BarChart } from "@shopify/polaris-viz";
import { AnalysisStatusBanner } from "~/components/analysis-status-banner";
import { ChartCard } from "~/components/charts/chart-card";
import { ClientOnlyChart } from "~/components/charts/client-only-chart";
import { ExplainedEmptyState } from "~/components/explained-empty-state";
import { figureFormat, type FigureFormat } from "~/components/figure-format";
import { HeadedCard } from "~/components/headed-card";
import { LIFECYCLE_FRAMES, lifecyclePointsInFrame, type LifecycleFrame } from "~/dashboard/active-comparison";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { getCustomerBase, type CustomerBase } from "~/services/customer-base.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return getCustomerBase(session.shop);
}

const STAGES = ["new", "active", "slipping-away", "lost"] as const;
const STAGE_COLOURS: Record<(typeof STAGES)[number], string> = {
  new: "#0094d5",
  active: "#29845a",
  "slipping-away": "#b28400",
  lost: "#8e1f0b",
};

export default function CustomerBasePage() {
  const { analysis, analysisStatus } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  if (!analysis) {
    // The first analysis appears without a reload (unless it failed: the banner says so).
    return (
      <Page title={t("customerBase.title")}>
        <Layout>
          <AnalysisStatusBanner status={analysisStatus} alsoPollWhile={analysisStatus.lastFailure === null} />
          <Layout.Section>
            <ExplainedEmptyState heading={t("customerBase.empty.heading")} body={t("customerBase.empty.body")} />
          </Layout.Section>
        </Layout>
      </Page>
    );
  }
  const format = figureFormat(locale, analysis.currencyCode);
  return (
    <Page title={t("customerBase.title")} subtitle={t("customerBase.subtitle", { date: format.date(analysis.asOf) })}>
      <Layout>
        <AnalysisStatusBanner status={analysisStatus} />
        <Layout.Section>
          <HeadedCard heading={t("customerBase.groups.heading")}>
            <BlockStack gap="200">
              <Text as="p" tone="subdued">
                {t("customerBase.groups.definition")}
              </Text>
              <GroupsTable groups={analysis.groups} format={format} />
            </BlockStack>
          </HeadedCard>
        </Layout.Section>
        <Layout.Section>
          <ActiveCustomers rows={analysis.active} format={format} />
        </Layout.Section>
        <Layout.Section>
          <LifecycleBars points={analysis.lifecycle} format={format} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Analysis = NonNullable<CustomerBase["analysis"]>;

/** Seed 002 "Hovedgrupper": every metric the seed lists, one row per group. */
function GroupsTable({ groups, format }: { groups: Analysis["groups"]; format: FigureFormat }) {
  const { t } = useTranslation();
  const na = t("customerBase.na");
  const or = (v: number | null, f: (v: number) => string) => (v === null ? na : f(v));
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
      headings={[
        t("customerBase.groups.group"),
        t("customerBase.groups.ltv"),
        t("customerBase.groups.count"),
        t("customerBase.groups.averageOrders"),
        t("customerBase.groups.basketSize"),
        t("customerBase.groups.ordersPerYear"),
        t("customerBase.groups.revenuePerYear"),
        t("customerBase.groups.lost"),
      ]}
      rows={groups.map((g) => [
        t(`group.${g.group}` as TranslationKey),
        or(g.ltv, format.money),
        <span key="c" data-group-count={g.group}>
          {format.count(g.customers)}
        </span>,
        or(g.averageOrders, format.decimal),
        or(g.averageBasketSize, format.decimal),
        or(g.ordersPerYear, format.decimal),
        or(g.revenuePerYear, format.money),
        or(g.lostShare, format.percent),
      ])}
    />
  );
}

/** Seed 002 "Aktive kunder": active customers now against 1, 3, 6 and 12 months ago. */
function ActiveCustomers({ rows, format }: { rows: Analysis["active"]; format: FigureFormat }) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("customerBase.active.heading")}
        </Text>
        <Text as="p" tone="subdued">
          {t("customerBase.active.definition")}
        </Text>
        <InlineGrid columns={{ xs: 2, sm: 3, md: 5 }} gap="300">
          {rows.map((row) => (
            <Card key={row.monthsAgo} background="bg-surface-secondary">
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  {row.monthsAgo === 0
                    ? t("customerBase.active.now")
                    : row.monthsAgo === 1
                      ? t("customerBase.active.oneMonthAgo")
                      : t("customerBase.active.monthsAgo", { months: row.monthsAgo })}
                </Text>
                <Text as="p" variant="headingLg">
                  <span data-active-months-ago={row.monthsAgo}>{row.active === null ? t("customerBase.na") : format.count(row.active)}</span>
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {format.date(row.date)}
                </Text>
                {row.monthsAgo === 0 ? null : row.active === null ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("customerBase.active.noHistory")}
                  </Text>
                ) : row.changeToNow === null ? (
                  <Badge>{t("dashboard.metrics.noComparison")}</Badge>
                ) : (
                  <Badge tone={row.changeToNow >= 0 ? "success" : "critical"}>
                    {t("customerBase.active.change", { change: format.change(row.changeToNow) })}
                  </Badge>
                )}
              </BlockStack>
            </Card>
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

/** Seed 002 "Vækst i kundebasen": lifecycle stages per month as stacked bars, with a time frame. */
function LifecycleBars({ points, format }: { points: Analysis["lifecycle"]; format: FigureFormat }) {
  const { t } = useTranslation();
  const [frame, setFrame] = useState<LifecycleFrame>("all");
  const shown = lifecyclePointsInFrame(points, frame);
  // The bars are keyed by their day; the axis names only the month, which fits beside 24 bars
  // where a whole date ("6. mar. 2025") was cut short.
  const monthOfKey = new Map(shown.map((p) => [format.date(p.date), format.month(p.date.slice(0, 7))]));
  return (
    <ChartCard
      title={t("customerBase.lifecycle.heading")}
      definition={t("customerBase.lifecycle.definition")}
      empty={shown.length === 0 ? t("customerBase.lifecycle.empty") : null}
      actions={
        <Select
          label={t("customerBase.lifecycle.frame")}
          labelInline
          options={LIFECYCLE_FRAMES.map((f) => ({ value: f, label: t(`customerBase.lifecycle.frame.${f}`) }))}
          value={frame}
          onChange={(value) => setFrame(value as LifecycleFrame)}
        />
      }
      table={{
        headings: [t("customerBase.lifecycle.date"), ...STAGES.map((s) => t(`lifecycle.${s}`))],
        rows: shown.map((p) => [format.date(p.date), ...STAGES.map((s) => format.count(p.counts[s]))]),
      }}
    >
      <div data-lifecycle-points={shown.length}>
        <ClientOnlyChart height={300} name="lifecycle">
          {() => (
            <BarChart
              isAnimated={false}
              type="stacked"
              data={STAGES.map((s) => ({
                name: t(`lifecycle.${s}`),
                color: STAGE_COLOURS[s],
                data: shown.map((p) => ({ key: format.date(p.date), value: p.counts[s] })),
              }))}
              xAxisOptions={{ labelFormatter: (key) => monthOfKey.get(String(key)) ?? String(key) }}
              yAxisOptions={{ labelFormatter: (v) => format.count(Number(v)) }}
              tooltipOptions={{ valueFormatter: (v) => format.count(Number(v)) }}
            />
          )}
        </ClientOnlyChart>
      </div>
    </ChartCard>
  );
}
