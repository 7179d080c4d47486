import type { LoaderFunctionArgs } from "@remix-run/node";
import { InvalidListQuery } from "~/components/invalid-list-query";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Layout, Link, Page, Pagination, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { AnalysisStatusBanner } from "~/components/analysis-status-banner";
import { ExplainedEmptyState } from "~/components/explained-empty-state";
import { WrappingTable } from "~/components/wrapping-table";
import { figureFormat } from "~/components/figure-format";
import { rangeText } from "~/components/model-names";
import { lifecycleReasonMessage } from "~/customers/activity-reason";
import { customerPagePath } from "~/customers/customer-page-path";
import { timeAgo } from "~/customers/time-ago";
import { CUSTOMER_LIST_PARAMETERS, CUSTOMER_SORTS, LIFECYCLE_STAGES, parseCustomerListQuery, type CustomerSort } from "~/customers/customer-list-query";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { InvalidListCursorError } from "~/customers/list-cursor";
import { listCustomers, type CustomerListRow } from "~/services/customers.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const parsed = parseCustomerListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw json({ error: "invalid-query", ...parsed.problem }, { status: 400 });
  }
  try {
    return await listCustomers(session.shop, parsed.query);
  } catch (error) {
    if (error instanceof InvalidListCursorError) throw json({ error: "invalid-query", ...error.problem }, { status: 400 });
    throw error;
  }
}

/** Table columns: which are sortable, and by which URL sort key. */
const SORTABLE_COLUMNS: Partial<Record<number, CustomerSort>> = { 5: "clv", 3: "pAlive", 7: "lastOrder", 8: "totalSpent" };

export default function Customers() {
  const { rows, total, from, previousCursor, nextCursor, query, currencyCode, revenueBasis, freshness, analysisStatus, horizon } = useLoaderData<typeof loader>();
  const [search, setSearch] = useState(query.search ?? "");
  const { t, locale } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const format = figureFormat(locale, currencyCode);
  // Shopify's own parameters (shop, host, locale) go along to the customer page, not the list's.
  const shopifyParams = new URLSearchParams(searchParams);
  for (const key of CUSTOMER_LIST_PARAMETERS) shopifyParams.delete(key);
  const shopifyQuery = shopifyParams.size > 0 ? `?${shopifyParams}` : "";

  // Keeps Shopify's own parameters (host, shop, locale) and changes only ours.
  const update = (changes: Record<string, string | null>) =>
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });

  if (total === 0 && query.lifecycle === null && query.search === null) {
    return (
      <Page title={t("customers.title")}>
        <Layout>
          <AnalysisStatusBanner status={analysisStatus} />
          <Layout.Section>
            <ExplainedEmptyState heading={t("customers.empty.heading")} body={t("customers.empty.body")} note={t("customers.empty.guests")} />
          </Layout.Section>
        </Layout>
      </Page>
    );
  }

  const sortColumn = Number(Object.entries(SORTABLE_COLUMNS).find(([, sort]) => sort === query.sort)?.[0] ?? 5);
  const orDash = (value: number | null, f: (v: number) => string) => (value === null ? "—" : f(value));

  return (
    <Page title={t("customers.title")} fullWidth>
      <Layout>
        <AnalysisStatusBanner status={analysisStatus} />
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <BlockStack gap="200">
                  <InlineStack gap="400" align="space-between" blockAlign="end">
                    <form
                      role="search"
                      onSubmit={(event) => {
                        event.preventDefault();
                        update({ search: search.trim() || null, after: null, before: null });
                      }}
                    >
                      <TextField
                        label={t("customers.search.label")}
                        placeholder={t("customers.search.placeholder")}
                        value={search}
                        onChange={setSearch}
                        autoComplete="off"
                        clearButton
                        onClearButtonClick={() => {
                          setSearch("");
                          update({ search: null, after: null, before: null });
                        }}
                        connectedRight={<Button submit>{t("customers.search.submit")}</Button>}
                      />
                    </form>
                    <Select
                      label={t("customers.filter.lifecycle")}
                      options={[
                        { value: "", label: t("customers.filter.allStages") },
                        ...LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: t(`lifecycle.${stage}` as TranslationKey) })),
                      ]}
                      value={query.lifecycle ?? ""}
                      onChange={(value) => update({ lifecycle: value || null, after: null, before: null })}
                    />
                    <Select
                      label={t("customers.sort.label")}
                      options={CUSTOMER_SORTS.map((sort) => ({ value: sort, label: t(`customers.sort.${sort}` as TranslationKey) }))}
                      value={query.sort}
                      onChange={(value) => update({ sort: value, after: null, before: null })}
                    />
                    <Select
                      label={t("customers.direction.label")}
                      options={[
                        { value: "desc", label: t("customers.direction.desc") },
                        { value: "asc", label: t("customers.direction.asc") },
                      ]}
                      value={query.direction}
                      onChange={(value) => update({ direction: value, after: null, before: null })}
                    />
                  </InlineStack>
                  {freshness && (
                    <Text as="p" tone="subdued">
                      {t("customers.freshness", { updated: timeAgo(locale, freshness.profilesUpdatedAt, freshness.now), fitted: timeAgo(locale, freshness.fittedAt, freshness.now) })}
                    </Text>
                  )}
                  <Text as="p" tone="subdued">
                    {t("customers.revenueBasis", { basis: t(`settings.revenueBasis.${revenueBasis}` as TranslationKey) })}
                  </Text>
                  {/* Stage and chance answer different questions; say so, so "Lost" next to 85 % does not read as a contradiction. */}
                  <Text as="p" tone="subdued">
                    {t("customers.stageVsChance", { lost: t("lifecycle.lost") })}
                  </Text>
                </BlockStack>
              </div>
              {rows.length === 0 ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    {query.search !== null ? t("customers.search.none") : t("customers.noneInStage")}
                  </Text>
                </div>
              ) : (
                <WrappingTable>
                  <DataTable
                    increasedTableDensity
                    columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "text", "text", "numeric"]}
                    headings={[
                      t("customers.column.customer"),
                      t("customers.column.lifecycle"),
                      t("customers.column.group"),
                      t("customers.column.pAlive"),
                      horizon
                        ? t(`customers.column.expectedOrders.${horizon.timeUnit === "day" ? "days" : "weeks"}` as TranslationKey, { count: horizon.length })
                        : t("customers.column.expectedOrders.noModel"),
                      t("customers.column.clv"),
                      t("customers.column.nextOrder"),
                      t("customers.column.lastOrder"),
                      t("customers.column.totalSpent"),
                    ]}
                    sortable={Array.from({ length: 9 }, (_, i) => SORTABLE_COLUMNS[i] !== undefined)}
                    initialSortColumnIndex={sortColumn}
                    defaultSortDirection={query.direction === "asc" ? "ascending" : "descending"}
                    onSort={(index, direction) => {
                      const sort = SORTABLE_COLUMNS[index];
                      if (sort) update({ sort, direction: direction === "ascending" ? "asc" : "desc", after: null, before: null });
                    }}
                    rows={rows.map((row) => [
                      <CustomerCell key="c" row={row} query={shopifyQuery} />,
                      // The stage with the reason behind it, which used to be a column of its own.
                      <BlockStack key="l" gap="050">
                        <Text as="span">{t(`lifecycle.${row.lifecycle}` as TranslationKey)}</Text>
                        <Text as="span" variant="bodySm" tone="subdued">
                          <ReasonCell reason={row.reason} />
                        </Text>
                      </BlockStack>,
                      t(`group.${row.group}` as TranslationKey),
                      <BlockStack key="p" gap="050" inlineAlign="end">
                        <span>{orDash(row.pAlive, format.percent)}</span>
                        {row.churnRisk ? <ChurnRiskBadge risk={row.churnRisk} /> : null}
                      </BlockStack>,
                      orDash(row.expectedPurchases, format.expectedOrders),
                      row.clv === null ? (
                        "—"
                      ) : (
                        <BlockStack key="v" gap="050" inlineAlign="end">
                          <span>{format.money(row.clv)}</span>
                          <SubduedRange text={row.clvLow === null || row.clvHigh === null ? null : rangeText(format.money(row.clvLow), format.money(row.clvHigh))} />
                        </BlockStack>
                      ),
                      row.nextOrderAt ? format.date(row.nextOrderAt) : row.pAlive === null ? "—" : t("customers.notExpected"),
                      format.date(row.lastOrderAt),
                      format.money(row.totalSpent),
                    ])}
                    footerContent={t("customers.range", { from: from + 1, to: from + rows.length, total })}
                  />
                </WrappingTable>
              )}
              <div style={{ padding: "var(--p-space-400)", display: "flex", justifyContent: "center" }}>
                <Pagination
                  hasPrevious={previousCursor !== null}
                  onPrevious={() => update({ before: previousCursor, after: null })}
                  hasNext={nextCursor !== null}
                  onNext={() => update({ after: nextCursor, before: null })}
                />
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function CustomerCell({ row, query }: { row: CustomerListRow; query: string }) {
  const { t } = useTranslation();
  const pagePath = customerPagePath(row.customerShopifyId);
  if (row.anonymous) {
    return (
      <Text as="span" tone="subdued">
        {t("customers.anonymous")}
      </Text>
    );
  }
  return (
    <BlockStack gap="0">
      <Text as="span" fontWeight="semibold">
        {pagePath ? (
          <Link url={`${pagePath}${query}`} removeUnderline>
            {row.name ?? t("customers.unnamed")}
          </Link>
        ) : (
          (row.name ?? t("customers.unnamed"))
        )}
      </Text>
      {row.email ? (
        <Text as="span" variant="bodySm" tone="subdued">
          {row.email}
        </Text>
      ) : null}
    </BlockStack>
  );
}

function ChurnRiskBadge({ risk }: { risk: string }) {
  const { t } = useTranslation();
  const tone = risk === "high" ? "critical" : risk === "medium" ? "warning" : "success";
  // Polaris would read the tone aloud in its own words ("Geslaagd" for a low risk); say what it is.
  return (
    <Badge tone={tone} toneAndProgressLabelOverride={t("customers.column.churnRisk")}>
      {t(`churnRisk.${risk}` as TranslationKey)}
    </Badge>
  );
}

function ReasonCell({ reason }: { reason: CustomerListRow["reason"] }) {
  const { t } = useTranslation();
  const message = lifecycleReasonMessage(reason);
  return <>{t(message.key, message.values)}</>;
}

/** A bad URL parameter (e.g. ?sort=name) says which one and offers the default list. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 400 && error.data?.error === "invalid-query") {
    return (
      <InvalidListQuery title={t("customers.title")} problem={error.data} parameters={CUSTOMER_LIST_PARAMETERS} />
    );
  }
  throw error;
}

/** A CLV's interval on its own line under the figure, when it says more than the figure (rangeText). */
function SubduedRange({ text }: { text: string | null }) {
  return text === null ? null : (
    <Text as="span" variant="bodySm" tone="subdued">
      {text}
    </Text>
  );
}
