import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { AnalysisStatusBanner } from "~/components/analysis-status-banner";
import { ChartCard } from "~/components/charts/chart-card";
import { OrderTimeline } from "~/components/charts/order-timeline";
import { countryNamer } from "~/components/country-name";
import { figureFormat } from "~/components/figure-format";
import { segmentName } from "~/components/segment-name";
import { withRange } from "~/components/model-names";
import { lifecycleReasonMessage } from "~/customers/activity-reason";
import { customerIdFromPageNumber } from "~/customers/customer-page-path";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { customerPage, type Interval } from "~/services/customer-page.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const customerShopifyId = customerIdFromPageNumber(params.id);
  if (customerShopifyId === null) throw json({ error: "invalid-customer-id" }, { status: 400 });
  const page = await customerPage(session.shop, customerShopifyId);
  if (page.state === "unknown-customer") throw json({ error: "unknown-customer" }, { status: 404 });
  return page;
}

export default function CustomerPage() {
  const page = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const location = useLocation();
  const format = figureFormat(locale, page.currencyCode);
  const profile = page.profile;
  const title = page.anonymous ? t("customers.anonymous") : (page.name ?? page.email ?? t("customers.unnamed"));
  // A customer's place has a real country or none: the geography page's "unknown" bucket never reaches here.
  const country = page.place.countryCode ? countryNamer(locale, "")(page.place.countryCode) : page.place.country;
  const place = [page.place.city, page.place.province, country].filter(Boolean).join(", ");
  const ordersCounted = page.orders.filter((o) => o.notCounted === null);
  const range = (value: Interval | null, f: (v: number) => string) =>
    value === null ? "—" : value.low !== null && value.high !== null ? withRange(f(value.value), f(value.low), f(value.high)) : f(value.value);
  // The orders' range is of the whole orders the customer may place (decision 029), not of the mean.
  const ordersRange = (orders: Interval | null) => {
    if (orders === null) return "—";
    const { value, low, high } = orders;
    if (low === null || high === null) return format.expectedOrders(value);
    return low === high ? t("customer.ordersExactly", { value: format.expectedOrders(value), count: low }) : t("customer.ordersRange", { value: format.expectedOrders(value), low, high });
  };
  const horizon = page.analysis?.horizon;
  const reason = profile ? lifecycleReasonMessage(profile.reason) : null;
  return (
    <Page title={title} subtitle={page.email && page.name ? page.email : undefined} backAction={{ content: t("nav.customers"), url: `/app/customers${location.search}` }}>
      <Layout>
        <AnalysisStatusBanner status={page.analysisStatus} />
        {page.analysis === null || profile === null ? (
          <Layout.Section>
            <Banner tone="info" title={page.analysis === null ? t("customer.noAnalysis.title") : t("customer.noProfile.title")}>
              <p>{page.analysis === null ? t("customer.noAnalysis.body") : t("customer.noProfile.body")}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {profile ? (
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("customer.lifecycle.heading")}
                  </Text>
                  <InlineStack gap="200" blockAlign="center">
                    <Badge
                      tone={profile.lifecycleStage === "lost" ? "critical" : profile.lifecycleStage === "slipping-away" ? "warning" : "success"}
                      toneAndProgressLabelOverride={t("customer.lifecycle.heading")}
                    >
                      {t(`lifecycle.${profile.lifecycleStage}` as TranslationKey)}
                    </Badge>
                    <Text as="span">{t(`group.${profile.customerGroup}` as TranslationKey)}</Text>
                  </InlineStack>
                  {reason ? <Text as="p">{t(reason.key, reason.values)}</Text> : null}
                  <Facts
                    rows={[
                      [t("customer.fact.orders"), format.count(profile.orders)],
                      [t("customer.fact.totalSpent"), format.money(profile.totalSpent)],
                      [t("customer.fact.aov"), format.money(profile.averageOrderValue)],
                      [t("customer.fact.firstOrder"), format.date(profile.firstOrderDay)],
                      [t("customer.fact.lastOrder"), format.date(profile.lastOrderDay)],
                      [t("customer.fact.spendTier"), t(`products.tier.${profile.spendTier}` as TranslationKey)],
                      [t("customer.fact.rfm"), `R ${profile.rfm.recency} · F ${profile.rfm.frequency} · M ${profile.rfm.monetary} (${t(`customer.rfmGroup.${profile.rfm.group}` as TranslationKey)})`],
                      [t("customer.fact.source"), profile.acquisitionSource ?? t("acquisition.unknownSource")],
                      ...(place ? [[t("customer.fact.place"), place] as [string, string]] : []),
                    ]}
                  />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("customer.scores.heading")}
                  </Text>
                  {page.analysis?.modelsUnavailable || profile.pAlive === null ? (
                    <Text as="p" tone="subdued">
                      {t("customer.scores.unavailable")}
                    </Text>
                  ) : (
                    <>
                      <Facts
                        rows={[
                          [t("customer.score.pAlive"), range(profile.pAlive, format.percent)],
                          [t("customer.score.churnRisk"), profile.churnRisk ? t(`churnRisk.${profile.churnRisk}` as TranslationKey) : "—"],
                          [
                            horizon ? t(`customer.score.expectedOrders.${horizon.timeUnit === "day" ? "days" : "weeks"}` as TranslationKey, { count: horizon.length }) : t("customer.score.expectedOrders.weeks", { count: 13 }),
                            ordersRange(profile.expectedOrders),
                          ],
                          [t("customer.score.orderValue"), profile.expectedOrderValue === null ? "—" : format.money(profile.expectedOrderValue)],
                          [t("customer.score.clv"), range(profile.clv, format.money)],
                          [
                            t("customer.score.nextOrder"),
                            profile.nextOrder
                              ? profile.nextOrder.low !== null
                                ? t("customer.dateInterval", { value: format.date(profile.nextOrder.day), low: format.date(profile.nextOrder.low), high: profile.nextOrder.high ? format.date(profile.nextOrder.high) : t("customer.beyondYear") })
                                : format.date(profile.nextOrder.day)
                              : t("customers.notExpected"),
                          ],
                        ]}
                      />
                      {profile.lateButLikelyActive ? (
                        <Text as="p">{t("customers.stageVsChance", { lost: t(`lifecycle.${profile.lifecycleStage}` as TranslationKey) })}</Text>
                      ) : null}
                      <Text as="p" tone="subdued">
                        {t("customer.scores.intervalNote")}
                      </Text>
                    </>
                  )}
                </BlockStack>
              </Card>
            </InlineGrid>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <ChartCard
            title={t("customer.timeline.title")}
            definition={page.orderCount > page.orders.length ? t("customer.timeline.definitionNewest", { shown: page.orders.length, total: page.orderCount }) : t("customer.timeline.definition")}
            table={{
              headings: [t("customer.column.date"), t("customer.column.order"), t("customer.column.amount"), t("customer.column.counted")],
              rows: page.orders.map((o) => [format.date(o.day), o.name ?? "—", format.money(o.amount), o.notCounted === null ? t("customer.counted.yes") : t(`customer.counted.${o.notCounted}` as TranslationKey)]),
            }}
            empty={page.orders.length === 0 ? t("customer.timeline.none") : null}
          >
            <OrderTimeline
              orders={page.orders.map((o) => ({ day: o.day, amount: o.amount, counted: o.notCounted === null }))}
              endDay={page.analysis?.asOf ?? page.orders[0]?.day ?? "1970-01-01"}
              dayLabel={format.date}
            />
            <Text as="p" tone="subdued">
              {t("customer.timeline.summary", { counted: ordersCounted.length, total: page.orderCount })}
            </Text>
          </ChartCard>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("customer.segments.heading")}
              </Text>
              {page.segments.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("customer.segments.none")}
                </Text>
              ) : (
                <InlineStack gap="200">
                  {page.segments.map((s) => (
                    <Badge key={s.id} tone={s.isControl ? undefined : "info"} toneAndProgressLabelOverride={t("customer.segments.heading")}>
                      {s.isControl ? t("customer.segments.control", { name: segmentName(t, s) }) : segmentName(t, s)}
                    </Badge>
                  ))}
                </InlineStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** Label–value pairs as a description list. */
function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1.4fr)", rowGap: "var(--p-space-150)", columnGap: "var(--p-space-300)", margin: 0 }}>
      {rows.map(([label, value]) => (
        <div key={label} style={{ display: "contents" }}>
          <dt>
            <Text as="span" tone="subdued">
              {label}
            </Text>
          </dt>
          <dd style={{ margin: 0 }}>
            <Text as="span">{value}</Text>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A malformed or unknown customer address says so, with the way back. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const location = useLocation();
  if (isRouteErrorResponse(error) && (error.status === 400 || error.status === 404)) {
    return (
      <Page title={t("customer.notFound.title")} backAction={{ content: t("nav.customers"), url: `/app/customers${location.search}` }}>
        <Banner tone="warning" title={t("customer.notFound.title")}>
          <p>{error.status === 400 ? t("customer.notFound.invalid") : t("customer.notFound.body")}</p>
        </Banner>
      </Page>
    );
  }
  throw error;
}
