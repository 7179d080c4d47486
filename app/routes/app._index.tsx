import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, InlineGrid, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";
import type { Translate } from "~/i18n/translate";
import { AnalysisStatusBanner } from "~/components/analysis-status-banner";
import { CustomerGroupsTable } from "~/components/customer-groups-table";
import { figureFormat } from "~/components/figure-format";
import { HeadedCard } from "~/components/headed-card";
import { KeyFigures } from "~/components/key-figures";
import { progressPercent } from "~/components/progress-percent";
import { ActionsCard } from "~/components/dashboard/actions-card";
import { BenchmarksCard } from "~/components/dashboard/benchmarks-card";
import { CohortCharts, CustomerTypesDonut, GrowthChart, RfmCharts } from "~/components/dashboard/dashboard-charts";
import { PeriodPicker } from "~/components/dashboard/period-picker";
import type { TranslationKey } from "~/i18n/translate";
import { getDashboard, type DashboardAnalysis, type SyncRunState } from "~/services/dashboard.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return getDashboard(session.shop, new URL(request.url).searchParams);
}

export default function Dashboard() {
  const { install, lastImport, lastCheck, timeZone, analysis, progress, analysisStatus } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  // Besides a recalculation (the banner's own polling): while an import runs, progress moves;
  // after it finished and before its first analysis is stored, the figures appear by themselves
  // (a failed analysis stops the polling; the banner says so instead). Before any import, too: the
  // install starts one, and a first page that raced the install's start would otherwise say "no
  // import has run yet" until the merchant reloads.
  const importWaiting =
    progress.status === "running" || (progress.status === "completed" && !analysis && !analysisStatus.lastFailure) || (!lastImport && !analysis);
  const formatDate = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(new Date(iso));
  const format = figureFormat(locale, analysis?.currencyCode ?? null);
  const formatDateTime = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone }).format(new Date(iso));
  // While the full import runs, the progress read for it is the newest word on it.
  const shownImport: SyncRunState | null =
    progress.status === "running"
      ? { ...(lastImport ?? IMPORT_PLACEHOLDER), status: "running", objectsDone: progress.objectsDone, objectsTotal: progress.objectsTotal }
      : lastImport;
  const formatDuration = (seconds: number) =>
    seconds < 90
      ? new Intl.NumberFormat(locale, { style: "unit", unit: "second", unitDisplay: "long", maximumFractionDigits: 0 }).format(seconds)
      : new Intl.NumberFormat(locale, { style: "unit", unit: "minute", unitDisplay: "long", maximumFractionDigits: 0 }).format(Math.ceil(seconds / 60));

  return (
    <Page title={t("dashboard.title")}>
      <Layout>
        {install && !install.hasAllOrdersAccess ? (
          <Layout.Section>
            <Banner tone="warning" title={t("dashboard.access.limitedTitle")}>
              <p>{t("dashboard.access.limited")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <AnalysisStatusBanner status={analysisStatus} alsoPollWhile={importWaiting} />
        <Layout.Section>
          <HeadedCard heading={t("dashboard.sync.heading")}>
            <BlockStack gap="200">
              <ImportStatus
                lastImport={shownImport}
                t={t}
                formatDate={formatDate}
                formatCount={format.count}
                timeLeft={progress.status === "running" && progress.secondsLeft !== null ? formatDuration(progress.secondsLeft) : null}
              />
              {lastCheck && shownImport?.status !== "running" ? <CheckStatus lastCheck={lastCheck} t={t} formatDateTime={formatDateTime} /> : null}
            </BlockStack>
          </HeadedCard>
        </Layout.Section>
        <Layout.Section>
          <HeadedCard heading={t("dashboard.metrics.heading")}>
            {analysis ? (
              <BlockStack gap="300">
                <PeriodPicker
                  key={JSON.stringify(analysis.periodChoice.choice)}
                  choice={analysis.periodChoice.choice}
                  presets={analysis.periodChoice.presets}
                  customError={analysis.periodChoice.customError}
                />
                <AnalysisHeader analysis={analysis} t={t} formatDay={format.date} formatCount={format.count} />
              </BlockStack>
            ) : (
              <Text as="p" tone="subdued">
                {progress.status === "running" ? t("dashboard.metrics.waiting") : t("dashboard.metrics.empty")}
              </Text>
            )}
          </HeadedCard>
        </Layout.Section>
        {analysis ? (
          <>
            <Layout.Section>
              <KeyFigures analysis={analysis} format={format} />
            </Layout.Section>
            {/* Full width: the months under the growth chart's bars need the room. */}
            <Layout.Section>
              <GrowthChart growth={analysis.charts.growth} format={format} />
            </Layout.Section>
            <Layout.Section>
              <CustomerTypesDonut counts={analysis.charts.customerTypes} format={format} />
            </Layout.Section>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <RfmCharts rfm={analysis.charts.rfm} format={format} />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <BlockStack gap="400">
                <CohortCharts cohorts={analysis.charts.cohorts} format={format} />
              </BlockStack>
            </Layout.Section>
            <Layout.Section>
              <HeadedCard heading={t("dashboard.v2.groups.heading")}>
                <CustomerGroupsTable groups={analysis.groups} format={format} />
              </HeadedCard>
            </Layout.Section>
            <Layout.Section>
              <BenchmarksCard charts={analysis.charts} format={format} />
            </Layout.Section>
            <Layout.Section>
              <ActionsCard actions={analysis.charts.actions} format={format} />
            </Layout.Section>
            <Layout.Section>
              <HeadedCard heading={t("dashboard.models.heading")}>
                <ModelsStatus models={analysis.models} t={t} />
              </HeadedCard>
            </Layout.Section>
          </>
        ) : null}
        <Layout.Section variant="oneThird">
          <HeadedCard heading={t("dashboard.install.heading")}>
            <Text as="p">
              {install === null
                ? t("dashboard.install.notRecorded")
                : install.state === "uninstalled" && install.uninstalledAt
                  ? t("dashboard.install.uninstalledOn", { date: formatDate(install.uninstalledAt) })
                  : t("dashboard.install.installedOn", { date: formatDate(install.installedAt) })}
            </Text>
            {install?.hasAllOrdersAccess ? <Text as="p">{t("dashboard.access.allOrders")}</Text> : null}
          </HeadedCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const IMPORT_PLACEHOLDER: SyncRunState = {
  status: "running",
  objectsDone: 0,
  objectsTotal: null,
  startedAt: new Date(0).toISOString(),
  finishedAt: null,
  error: null,
};

function ImportStatus({
  lastImport,
  t,
  formatDate,
  formatCount,
  timeLeft,
}: {
  lastImport: SyncRunState | null;
  t: Translate;
  formatDate: (iso: string) => string;
  formatCount: (value: number) => string;
  /** The running import's estimate, already in words ("about 2 minutes"). */
  timeLeft: string | null;
}) {
  if (!lastImport) return <Text as="p">{t("dashboard.sync.none")}</Text>;
  const kind = t("dashboard.sync.kind.backfill");
  const done = formatCount(lastImport.objectsDone);
  if (lastImport.status === "running") {
    const total = lastImport.objectsTotal;
    const percent = progressPercent(lastImport.objectsDone, total);
    return (
      <BlockStack gap="200">
        <Text as="p">
          <span data-import-progress={lastImport.objectsDone}>
            {total ? t("dashboard.sync.running", { kind, done, total: formatCount(total) }) : t("dashboard.sync.runningNoTotal", { kind, done })}
          </span>
        </Text>
        {percent !== null ? <ProgressBar progress={percent} size="small" ariaLabelledBy="import-progress-label" /> : null}
        <Text as="p" tone="subdued" id="import-progress-label">
          {timeLeft ? t("dashboard.v2.import.timeLeft", { time: timeLeft }) : t("dashboard.v2.import.estimating")}
        </Text>
      </BlockStack>
    );
  }
  const date = formatDate(lastImport.finishedAt ?? lastImport.startedAt);
  if (lastImport.status === "failed") {
    return (
      <Text as="p" tone="critical">
        {lastImport.error
          ? t("dashboard.sync.failed", { kind, date, error: lastImport.error })
          : t("dashboard.sync.failedNoReason", { kind, date })}
      </Text>
    );
  }
  return <Text as="p">{t("dashboard.sync.completed", { kind, date, done })}</Text>;
}

/** The latest check for changes webhooks may have missed (every 15 minutes), below the import's line. */
function CheckStatus({ lastCheck, t, formatDateTime }: { lastCheck: SyncRunState; t: Translate; formatDateTime: (iso: string) => string }) {
  if (lastCheck.status === "running") return <Text as="p" tone="subdued">{t("dashboard.sync.check.running")}</Text>;
  const date = formatDateTime(lastCheck.finishedAt ?? lastCheck.startedAt);
  if (lastCheck.status === "failed") {
    return (
      <Text as="p" tone="critical">
        {lastCheck.error ? t("dashboard.sync.check.failed", { date, error: lastCheck.error }) : t("dashboard.sync.check.failedNoReason", { date })}
      </Text>
    );
  }
  return (
    <Text as="p" tone="subdued">
      {lastCheck.objectsDone === 0 ? t("dashboard.sync.check.nothingChanged", { date }) : t("dashboard.sync.check.completed", { date, count: lastCheck.objectsDone })}
    </Text>
  );
}

function AnalysisHeader({
  analysis,
  t,
  formatDay,
  formatCount,
}: {
  analysis: DashboardAnalysis;
  t: Translate;
  formatDay: (iso: string) => string;
  formatCount: (value: number) => string;
}) {
  return (
    <BlockStack gap="100">
      <Text as="p">
        {t("dashboard.metrics.period", {
          start: formatDay(analysis.period.start),
          end: formatDay(analysis.period.end),
          date: formatDay(analysis.asOf),
        })}
      </Text>
      <Text as="p" tone="subdued">
        {analysis.previousPeriod
          ? t("dashboard.metrics.previousPeriod", {
              start: formatDay(analysis.previousPeriod.start),
              end: formatDay(analysis.previousPeriod.end),
            })
          : t("dashboard.metrics.noPreviousPeriod")}
      </Text>
      <Text as="p" tone="subdued">
        {t("dashboard.metrics.revenueBasis", { basis: t(`settings.revenueBasis.${analysis.revenueBasis}` as TranslationKey) })}
      </Text>
      {analysis.ordersWithoutNetSales > 0 ? (
        <Text as="p" tone="caution">
          {t("dashboard.metrics.ordersWithoutNetSales", { count: formatCount(analysis.ordersWithoutNetSales) })}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** "Not enough data" is said as such, with the reasons, instead of showing made-up predictions. */
function ModelsStatus({ models, t }: { models: DashboardAnalysis["models"]; t: Translate }) {
  if (models.status === "fitted") return <Text as="p">{t("dashboard.models.fitted")}</Text>;
  if (models.status === "unknown") return <Text as="p" tone="subdued">{t("dashboard.models.unknown")}</Text>;
  return (
    <BlockStack gap="100">
      <Text as="p" fontWeight="semibold">
        {t("dashboard.models.insufficient")}
      </Text>
      {models.details.map((reason) => (
        <Text as="p" tone="subdued" key={reason.kind}>
          {reason.kind === "too-few-repeat-customers"
            ? t("dashboard.models.tooFewRepeat", { count: reason.repeatCustomers, required: reason.required })
            : t("dashboard.models.historyTooShort", { days: reason.historyDays, required: reason.required })}
        </Text>
      ))}
    </BlockStack>
  );
}
