import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { segmentName } from "~/components/segment-name";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { AnalysisStatusBanner } from "~/components/analysis-status-banner";
import { ExplainedEmptyState } from "~/components/explained-empty-state";
import { figureFormat } from "~/components/figure-format";
import { useTranslation } from "~/i18n/i18n-context";
import { createTranslator, isLocale } from "~/i18n/translate";
import { createCrossSellSegment, listSegments, SegmentNotFoundError, type SegmentListRow } from "~/services/segments.server";
import { authenticate } from "~/shopify.server";
import { readFormFields } from "~/http/form-fields.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return listSegments(session.shop);
}

/** One click on a cross-sell audience: its segment, created or opened. */
export async function action({ request }: ActionFunctionArgs) {
  const { session, redirect } = await authenticate.admin(request);
  const form: Record<string, unknown> = await readFormFields(request);
  if (typeof form.bought !== "string" || typeof form.neverBought !== "string") return json({ error: "segments.error.notFound" }, { status: 400 });
  try {
    const t = createTranslator(typeof form.locale === "string" && isLocale(form.locale) ? form.locale : "en");
    const id = await createCrossSellSegment(session.shop, form.bought, form.neverBought, (pair) =>
      t("segments.crossSell.name", { bought: pair.boughtTitle, neverBought: pair.neverBoughtTitle }),
    );
    return redirect(`/app/segments/${id}`);
  } catch (error) {
    if (error instanceof SegmentNotFoundError) return json({ error: "segments.error.notFound" }, { status: 404 });
    throw error;
  }
}

export default function Segments() {
  const { hasAnalysis, totalCustomers, segments, crossSell, analysisStatus } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const format = figureFormat(locale, null);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: analysisStatus.timeZone });

  // Nothing to segment before the first import has customers with a profile.
  if (!hasAnalysis || totalCustomers === 0) {
    return (
      <Page title={t("segments.title")}>
        <Layout>
          <AnalysisStatusBanner status={analysisStatus} />
          <Layout.Section>
            <ExplainedEmptyState heading={t("segments.empty.heading")} body={t("segments.empty.body")} note={t("segments.empty.push")} />
          </Layout.Section>
        </Layout>
      </Page>
    );
  }

  const nameOf = (s: SegmentListRow) => segmentName(t, s);
  const rows = (list: SegmentListRow[]) =>
    list.map((s) => [
      <Link key={s.id} to={`/app/segments/${s.id}`}>
        {nameOf(s)}
      </Link>,
      // Not computed yet: no count rather than a 0 that reads as an empty segment.
      s.membersAsOf ? format.count(s.members) : "–",
      s.membersAsOf ? format.percent(totalCustomers === 0 ? 0 : s.members / totalCustomers) : "–",
      s.membersAsOf ? dateTime.format(new Date(s.membersAsOf)) : t("segments.list.neverRefreshed"),
    ]);
  const table = (list: SegmentListRow[]) => (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "text"]}
      headings={[t("segments.list.column.name"), t("segments.list.column.members"), t("segments.list.column.share"), t("segments.list.column.refreshed")]}
      rows={rows(list)}
    />
  );
  const custom = segments.filter((s) => s.kind === "custom");
  const builtin = segments.filter((s) => s.kind === "builtin");

  return (
    <Page title={t("segments.title")} primaryAction={{ content: t("segments.list.create"), url: "/app/segments/new" }}>
      <Layout>
        <AnalysisStatusBanner status={analysisStatus} />
        {segments.some((s) => s.membersAsOf === null) ? (
          <Layout.Section>
            <Banner tone="info">{t("segments.list.computing")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="200">
              <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
                <Text as="h2" variant="headingMd">
                  {t("segments.list.custom")}
                </Text>
              </div>
              {custom.length === 0 ? (
                <div style={{ padding: "0 var(--p-space-400) var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    {t("segments.list.noCustom")}
                  </Text>
                </div>
              ) : (
                table(custom)
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="200">
              <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
                <Text as="h2" variant="headingMd">
                  {t("segments.list.builtin")}
                </Text>
              </div>
              {table(builtin)}
            </BlockStack>
          </Card>
        </Layout.Section>
        {crossSell.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("segments.list.crossSell")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("segments.list.crossSellHelp")}
                </Text>
                {crossSell.map((pair) => (
                  <Form method="post" key={`${pair.bought}|${pair.neverBought}`}>
                    <input type="hidden" name="bought" value={pair.bought} />
                    <input type="hidden" name="neverBought" value={pair.neverBought} />
                    <input type="hidden" name="locale" value={locale} />
                    <InlineStack gap="300" align="space-between" blockAlign="center">
                      <Text as="span">{t("segments.list.crossSellRow", { bought: pair.boughtTitle, neverBought: pair.neverBoughtTitle, audience: pair.audience, lift: format.lift(pair.lift) })}</Text>
                      <Button submit>{t("segments.list.crossSellCreate")}</Button>
                    </InlineStack>
                  </Form>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
