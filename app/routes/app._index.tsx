import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";
import type { Translate } from "~/i18n/translate";
import { getDashboardState, type DashboardState } from "~/services/dashboard.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return getDashboardState(session.shop);
}

export default function Dashboard() {
  const { install, lastSync } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const formatDate = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(iso));

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
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("dashboard.sync.heading")}
              </Text>
              <SyncStatus lastSync={lastSync} t={t} formatDate={formatDate} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("dashboard.metrics.heading")}
              </Text>
              <Text as="p" tone="subdued">
                {t("dashboard.metrics.empty")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("dashboard.install.heading")}
              </Text>
              <Text as="p">
                {install === null
                  ? t("dashboard.install.notRecorded")
                  : install.state === "uninstalled" && install.uninstalledAt
                    ? t("dashboard.install.uninstalledOn", { date: formatDate(install.uninstalledAt) })
                    : t("dashboard.install.installedOn", { date: formatDate(install.installedAt) })}
              </Text>
              {install?.hasAllOrdersAccess ? <Text as="p">{t("dashboard.access.allOrders")}</Text> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function SyncStatus({
  lastSync,
  t,
  formatDate,
}: {
  lastSync: DashboardState["lastSync"];
  t: Translate;
  formatDate: (iso: string) => string;
}) {
  if (!lastSync) return <Text as="p">{t("dashboard.sync.none")}</Text>;
  const kind = lastSync.kind === "reconcile" ? t("dashboard.sync.kind.reconcile") : t("dashboard.sync.kind.backfill");
  const done = lastSync.objectsDone;
  if (lastSync.status === "running") {
    const total = lastSync.objectsTotal;
    return (
      <BlockStack gap="200">
        <Text as="p">
          {total ? t("dashboard.sync.running", { kind, done, total }) : t("dashboard.sync.runningNoTotal", { kind, done })}
        </Text>
        {total ? <ProgressBar progress={Math.min(100, (done / total) * 100)} size="small" /> : null}
      </BlockStack>
    );
  }
  const date = formatDate(lastSync.finishedAt ?? lastSync.startedAt);
  if (lastSync.status === "failed") {
    return (
      <Text as="p" tone="critical">
        {lastSync.error
          ? t("dashboard.sync.failed", { kind, date, error: lastSync.error })
          : t("dashboard.sync.failedNoReason", { kind, date })}
      </Text>
    );
  }
  return <Text as="p">{t("dashboard.sync.completed", { kind, date, done })}</Text>;
}
