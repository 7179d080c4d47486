import type { LoaderFunctionArgs } from "@remix-run/node";
import { InvalidListQuery } from "~/components/invalid-list-query";
import { SegmentNotFound } from "~/components/segment-not-found";
import { ruleSummary } from "~/segment-page/rule-summary";
import { MESSAGES } from "~/i18n/translate";
import { segmentName } from "~/components/segment-name";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Link as RemixLink, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Pagination, Select, Text, TextField } from "@shopify/polaris";
import { WrappingTable } from "~/components/wrapping-table";
import { AnalysisStatusBanner } from "~/components/analysis-status-banner";
import { useState } from "react";
import { MemberCountChart } from "~/components/charts/member-count-chart";
import { ExplainedEmptyState } from "~/components/explained-empty-state";
import { figureFormat, type FigureFormat } from "~/components/figure-format";
import { CUSTOMER_LIST_PARAMETERS, CUSTOMER_SORTS, type CustomerSort } from "~/customers/customer-list-query";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import type { ComparedFigure, InsightFigure, OverviewFigure } from "~/segment-page/segment-figures";
import { parseSegmentId, parseSegmentPageQuery, PRODUCT_SORTS, type ProductSort } from "~/segment-page/segment-page-query";
import { InvalidListCursorError } from "~/customers/list-cursor";
import { loadSegmentPage, SegmentNotFoundError, type MemberRow, type SegmentPage } from "~/services/segment-page.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = parseSegmentId(params.id);
  if (id === null) throw json({ error: "not-found" }, { status: 404 });
  const parsed = parseSegmentPageQuery(new URL(request.url).searchParams);
  if (!parsed.ok) throw json({ error: "invalid-query", ...parsed.problem }, { status: 400 });
  try {
    return await loadSegmentPage(session.shop, id, parsed.query);
  } catch (error) {
    if (error instanceof SegmentNotFoundError) throw json({ error: "not-found" }, { status: 404 });
    if (error instanceof InvalidListCursorError) throw json({ error: "invalid-query", ...error.problem }, { status: 400 });
    throw error;
  }
}

/** Member table columns that sort, by the URL's sort key (the Customers page's sorts). */
const MEMBER_SORT_COLUMNS: Partial<Record<number, CustomerSort>> = { 4: "totalSpent", 5: "clv", 6: "pAlive", 7: "lastOrder" };
/** Product table columns that sort. */
const PRODUCT_SORT_COLUMNS: Partial<Record<number, ProductSort>> = { 1: "orders", 3: "revenue", 4: "customers" };

export default function SegmentDetails() {
  const data = useLoaderData<typeof loader>() as SegmentPage;
  const { segment, state } = data;
  const { t, locale } = useTranslation();
  const format = figureFormat(locale, data.currencyCode);
  const builtin = segment.kind === "builtin";

  return (
    <Page
      backAction={{ content: t("segments.title"), url: "/app/segments" }}
      title={segmentName(t, segment)}
      titleMetadata={<Badge tone={builtin ? "info" : undefined}>{t(builtin ? "segmentPage.kind.builtin" : "segmentPage.kind.custom")}</Badge>}
      primaryAction={
        builtin
          ? { content: t("segmentPage.action.duplicate"), url: `/app/segments/new?duplicate=${segment.id}` }
          : { content: t("segmentPage.action.edit"), url: `/app/segments/${segment.id}/edit` }
      }
      secondaryActions={[
        ...(builtin ? [{ content: t("segmentPage.action.edit"), disabled: true, helpText: t("segmentPage.action.builtinReadOnly") }] : []),
        { content: t("segmentPage.action.push"), url: `/app/segments/${segment.id}/push` },
        { content: t("segmentPage.action.export"), onAction: () => void downloadExport(segment.id), disabled: state !== "ready" },
      ]}
    >
      <Layout>
        <AnalysisStatusBanner status={data.analysisStatus} />
        <Layout.Section>
          <HeaderCard page={data} format={format} />
        </Layout.Section>
        {state === "no-analysis" || state === "not-computed" || state === "no-members" ? (
          <Layout.Section>
            <ExplainedEmptyState heading={t(`segmentPage.empty.${state}.heading`)} body={t(`segmentPage.empty.${state}.body`)} />
          </Layout.Section>
        ) : (
          <>
            {data.figuresBehindMembers ? (
              <Layout.Section>
                <Banner tone="info">
                  {t("segmentPage.figuresBehindMembers", {
                    when: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: data.analysisStatus.timeZone }).format(new Date(data.figuresBehindMembers.since)),
                    count: data.figuresBehindMembers.customers,
                  })}
                </Banner>
              </Layout.Section>
            ) : null}
            <Layout.Section>
              <FigureCard
                title={t("segmentPage.overview.title")}
                intro={t("segmentPage.overview.intro")}
                figures={data.overview ?? []}
                label={(key) => t(`segmentPage.overview.${key}` as TranslationKey)}
                definition={(key) => t(`segmentPage.overview.${key}.definition` as TranslationKey)}
                value={(key, v) => (key === "revenue" || key === "averageProductPrice" ? format.money(v) : format.count(v))}
                ofStore={(key) => (key === "averageProductPrice" ? "segmentPage.ofStoreAverage" : "segmentPage.ofStore")}
                format={format}
              />
            </Layout.Section>
            <Layout.Section>
              <FigureCard
                title={t("segmentPage.insights.title")}
                intro={t("segmentPage.insights.intro")}
                figures={data.insights ?? []}
                label={(key) => t(`segmentPage.insights.${key}` as TranslationKey)}
                definition={(key) => t(`segmentPage.insights.${key}.definition` as TranslationKey)}
                value={(key, v) => insightValue(key, v, format, t)}
                ofStore={() => "segmentPage.ofStoreAverage"}
                format={format}
                storeColumn
              />
            </Layout.Section>
            <Layout.Section>
              <ProductsCard page={data} format={format} />
            </Layout.Section>
            <Layout.Section>
              <MembersCard page={data} format={format} />
            </Layout.Section>
          </>
        )}
        <Layout.Section>
          <MemberCountChart history={data.history} format={format} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** Fetches the CSV with the session token (App Bridge adds it to fetch) and saves it. */
async function downloadExport(id: number) {
  const response = await fetch(`/app/segments/${id}/export`);
  if (!response.ok) return;
  const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "segment.csv";
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

type T = ReturnType<typeof useTranslation>["t"];

function insightValue(key: InsightFigure, v: number, format: FigureFormat, t: T): string {
  switch (key) {
    case "predictedClv":
    case "orderValue":
    case "revenuePerYear":
      return format.money(v);
    case "customerLifetime":
    case "daysBetweenOrders":
      return t("segmentPage.days", { days: format.count(v) });
    default:
      return format.decimal(v);
  }
}

function HeaderCard({ page, format }: { page: SegmentPage; format: FigureFormat }) {
  const { t } = useTranslation();
  const { segment } = page;
  const ruleText = ruleSummary(segment.rules, (key) => (key in MESSAGES.en ? t(key as TranslationKey) : null), segment.ruleProducts);
  return (
    <Card>
      <BlockStack gap="200">
        {segment.description ? <Text as="p">{segment.description}</Text> : null}
        <Text as="p" tone="subdued">
          {ruleText ? t("segmentPage.rules", { rules: ruleText }) : t("segmentPage.rulesUnavailable")}
        </Text>
        {segment.membersAsOf ? (
          <InlineStack gap="400" wrap>
            <Text as="p" variant="headingLg">
              {t("segmentPage.members", { count: segment.memberCount })}
            </Text>
            {segment.share !== null ? (
              <Text as="p" variant="headingLg" tone="subdued">
                {t("segmentPage.shareOfCustomers", { share: format.percent(segment.share) })}
              </Text>
            ) : null}
          </InlineStack>
        ) : null}
        {segment.controlCount > 0 ? <Text as="p">{t("segmentPage.holdOuts", { count: format.count(segment.controlCount), percent: format.decimal(segment.controlGroupPercent) })}</Text> : null}
        <Text as="p" tone="subdued">
          {segment.membersAsOf ? t("segmentPage.refreshedAt", { when: format.date(segment.membersAsOf.slice(0, 10)) }) : t("segmentPage.neverRefreshed")}
        </Text>
        <Text as="p" tone="subdued">
          {t("segmentPage.revenueBasis", { basis: t(`settings.revenueBasis.${page.revenueBasis}` as TranslationKey) })}
        </Text>
        {segment.membershipFromEarlierAnalysis ? <Banner tone="info">{t("segmentPage.membershipFromEarlierAnalysis")}</Banner> : null}
      </BlockStack>
    </Card>
  );
}

function FigureCard<K extends OverviewFigure | InsightFigure>(props: {
  title: string;
  intro: string;
  figures: ComparedFigure<K>[];
  label: (key: K) => string;
  definition: (key: K) => string;
  value: (key: K, v: number) => string;
  ofStore: (key: K) => TranslationKey;
  format: FigureFormat;
  storeColumn?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {props.title}
          </Text>
          <Text as="p" tone="subdued">
            {props.intro}
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: props.figures.length > 5 ? 4 : 5 }} gap="400">
          {props.figures.map((f) => (
            <BlockStack key={f.key} gap="100">
              <Text as="h3" variant="headingSm">
                {props.label(f.key)}
              </Text>
              <Text as="p" variant="headingLg">
                {f.segment === null ? "—" : props.value(f.key, f.segment)}
              </Text>
              {f.ofStore !== null ? (
                <Text as="p" tone="subdued">
                  {t(props.ofStore(f.key), { share: props.format.percent(f.ofStore) })}
                </Text>
              ) : null}
              {props.storeColumn && f.store !== null ? (
                <Text as="p" tone="subdued">
                  {t("segmentPage.storeValue", { value: props.value(f.key, f.store) })}
                </Text>
              ) : null}
              <Text as="p" variant="bodySm" tone="subdued">
                {props.definition(f.key)}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

/** Keeps Shopify's own parameters (host, shop, locale) and changes only ours. */
function useUpdateParams() {
  const [, setSearchParams] = useSearchParams();
  return (changes: Record<string, string | null>) =>
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { preventScrollReset: true },
    );
}

function ProductsCard({ page, format }: { page: SegmentPage; format: FigureFormat }) {
  const { t } = useTranslation();
  const update = useUpdateParams();
  const { rows, sort } = page.products;
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <InlineStack align="space-between" blockAlign="end" gap="200">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                {t("segmentPage.products.title")}
              </Text>
              <Text as="p" tone="subdued">
                {t("segmentPage.products.definition")}
              </Text>
            </BlockStack>
            <Select
              label={t("segmentPage.products.sortLabel")}
              options={PRODUCT_SORTS.map((s) => ({ value: s, label: t(`segmentPage.products.sort.${s}` as TranslationKey) }))}
              value={sort}
              onChange={(value) => update({ products: value })}
            />
          </InlineStack>
        </div>
        {rows.length === 0 ? (
          <div style={{ padding: "var(--p-space-400)" }}>
            <Text as="p" tone="subdued">
              {t("segmentPage.products.none")}
            </Text>
          </div>
        ) : (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={[t("segmentPage.products.product"), t("segmentPage.products.sort.orders"), t("segmentPage.products.quantity"), t("segmentPage.products.sort.revenue"), t("segmentPage.products.sort.customers")]}
            sortable={[false, true, false, true, true]}
            initialSortColumnIndex={Number(Object.entries(PRODUCT_SORT_COLUMNS).find(([, s]) => s === sort)?.[0] ?? 1)}
            defaultSortDirection="descending"
            onSort={(index) => {
              const next = PRODUCT_SORT_COLUMNS[index];
              if (next) update({ products: next });
            }}
            rows={rows.map((r) => [r.title, format.count(r.orders), format.count(r.quantity), format.money(r.revenue), format.count(r.customers)])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function MembersCard({ page, format }: { page: SegmentPage; format: FigureFormat }) {
  const { t } = useTranslation();
  const update = useUpdateParams();
  const { rows, total, from, previousCursor, nextCursor, query } = page.members;
  const [search, setSearch] = useState(query.search ?? "");
  const reset = { after: null, before: null };
  const sortColumn = Number(Object.entries(MEMBER_SORT_COLUMNS).find(([, s]) => s === query.sort)?.[0] ?? 5);
  const orDash = (value: number | null, f: (v: number) => string) => (value === null ? "—" : f(value));
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              {t("segmentPage.membersList.title")}
            </Text>
            <InlineStack gap="400" align="space-between" blockAlign="end">
              <form
                role="search"
                onSubmit={(event) => {
                  event.preventDefault();
                  update({ search: search.trim() || null, ...reset });
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
                    update({ search: null, ...reset });
                  }}
                  connectedRight={<Button submit>{t("customers.search.submit")}</Button>}
                />
              </form>
              <Select
                label={t("customers.sort.label")}
                options={CUSTOMER_SORTS.map((s) => ({ value: s, label: t(`customers.sort.${s}` as TranslationKey) }))}
                value={query.sort}
                onChange={(value) => update({ sort: value, ...reset })}
              />
              <Select
                label={t("customers.direction.label")}
                options={[
                  { value: "desc", label: t("customers.direction.desc") },
                  { value: "asc", label: t("customers.direction.asc") },
                ]}
                value={query.direction}
                onChange={(value) => update({ direction: value, ...reset })}
              />
            </InlineStack>
          </BlockStack>
        </div>
        {rows.length === 0 ? (
          <div style={{ padding: "var(--p-space-400)" }}>
            <Text as="p" tone="subdued">
              {query.search !== null ? t("customers.search.none") : t("segmentPage.membersList.none")}
            </Text>
          </div>
        ) : (
          <WrappingTable>
            <DataTable
              increasedTableDensity
              columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
              headings={[
                t("customers.column.customer"),
                t("customers.column.lifecycle"),
                t("customers.column.group"),
                t("segmentPage.membersList.orders"),
                t("customers.column.totalSpent"),
                t("customers.column.clv"),
                t("customers.column.pAlive"),
                t("customers.column.lastOrder"),
              ]}
              sortable={Array.from({ length: 8 }, (_, i) => MEMBER_SORT_COLUMNS[i] !== undefined)}
              initialSortColumnIndex={sortColumn}
              defaultSortDirection={query.direction === "asc" ? "ascending" : "descending"}
              onSort={(index, direction) => {
                const sort = MEMBER_SORT_COLUMNS[index];
                if (sort) update({ sort, direction: direction === "ascending" ? "asc" : "desc", ...reset });
              }}
              rows={rows.map((row) => [
                <MemberCell key="m" row={row} />,
                t(`lifecycle.${row.lifecycle}` as TranslationKey),
                t(`group.${row.group}` as TranslationKey),
                format.count(row.orders),
                format.money(row.totalSpent),
                orDash(row.clv, format.money),
                orDash(row.pAlive, format.percent),
                format.date(row.lastOrderAt.slice(0, 10)),
              ])}
              footerContent={t("customers.range", { from: from + 1, to: from + rows.length, total })}
            />
          </WrappingTable>
        )}
        <div style={{ padding: "var(--p-space-400)", display: "flex", justifyContent: "center" }}>
          <Pagination hasPrevious={previousCursor !== null} onPrevious={() => update({ before: previousCursor, after: null })} hasNext={nextCursor !== null} onNext={() => update({ after: nextCursor, before: null })} />
        </div>
      </BlockStack>
    </Card>
  );
}

function MemberCell({ row }: { row: MemberRow }) {
  const { t } = useTranslation();
  const label = row.anonymous ? t("customers.anonymous") : (row.name ?? row.email ?? t("customers.unnamed"));
  return (
    <BlockStack gap="0">
      <InlineStack gap="200" blockAlign="center">
        <RemixLink to={`/app/customers/${row.customerId}`}>{label}</RemixLink>
        {row.holdOut ? <Badge tone="attention">{t("segmentPage.membersList.holdOut")}</Badge> : null}
      </InlineStack>
      {!row.anonymous && row.name && row.email ? (
        <Text as="span" variant="bodySm" tone="subdued">
          {row.email}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** A missing segment goes back to the list; a bad URL parameter says which one and offers the default view. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) return <SegmentNotFound />;
  if (isRouteErrorResponse(error) && error.status === 400 && error.data?.error === "invalid-query") {
    return (
      <InvalidListQuery title={t("segments.title")} problem={error.data} parameters={[...CUSTOMER_LIST_PARAMETERS, "products"]} />
    );
  }
  throw error;
}
