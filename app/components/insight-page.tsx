import { ClientOnlyChart } from "~/components/charts/client-only-chart";
import type { ReactNode } from "react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import type { InsightBasis } from "~/services/insights.server";
import type { AnalysisStatus } from "~/snapshots/read-analysis.server";
import { AnalysisStatusBanner } from "./analysis-status-banner";
import { ExplainedEmptyState } from "./explained-empty-state";
import type { FigureFormat } from "./figure-format";

/**
 * The frame of every insight page: the title, the line saying which analysis the figures come
 * from (as-of day, revenue basis), whether new ones are on their way (AnalysisStatusBanner), and
 * an honest empty state before the first analysis.
 * The strings come translated from the page (each page keeps its own keys).
 */
export function InsightPage({
  title,
  basis,
  analysisStatus,
  format,
  basisLine,
  empty,
  children,
}: {
  title: string;
  basis: InsightBasis | null;
  analysisStatus: AnalysisStatus;
  format: FigureFormat;
  /** e.g. t("geography.basis", …): receives the formatted as-of day. */
  basisLine: (asOf: string) => string;
  empty: { heading: string; body: string };
  children: ReactNode;
}) {
  return (
    <Page title={title}>
      <Layout>
        <AnalysisStatusBanner status={analysisStatus} />
        {basis === null ? (
          <Layout.Section>
            <ExplainedEmptyState heading={empty.heading} body={empty.body} />
          </Layout.Section>
        ) : (
          <Layout.Section>
            <BlockStack gap="400">
              <Text as="p" tone="subdued">
                {basisLine(format.date(basis.asOf))}
              </Text>
              {children}
            </BlockStack>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

/** An insight chart's box: drawn in the browser only (see ClientOnlyChart), full width. */
export function ChartBox({ height = 280, children }: { height?: number; children: ReactNode }) {
  return (
    <ClientOnlyChart height={height} name="insight">
      {() => children}
    </ClientOnlyChart>
  );
}

/**
 * Room after a horizontal bar chart: polaris-viz centres its value axis' last label on the chart's
 * edge, so half of it lies outside, and the card cut a long one ("280 t US$" to "280 t U").
 */
const BAR_LIST_END_ROOM = 40;

/** A horizontal bar chart's box: room for each bar and its label, the axis, and the axis' last label. */
export function BarListBox({ bars, children }: { bars: number; children: ReactNode }) {
  return (
    <ClientOnlyChart height={Math.max(200, 44 * bars + 70)} name="insight" endRoom={BAR_LIST_END_ROOM}>
      {() => children}
    </ClientOnlyChart>
  );
}

/** Money for chart axes: short ("€20K", "20 k€") in the admin's locale; the tables keep full amounts. */
export function compactMoney(locale: string, currencyCode: string | null): (value: number) => string {
  const format = currencyCode
    ? new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode, notation: "compact", maximumFractionDigits: 1 })
    : new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  return (value) => format.format(value);
}
