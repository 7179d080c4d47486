import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Select } from "@shopify/polaris";
import { BarChart } from "@shopify/polaris-viz";
import { useState } from "react";
import { CUSTOMER_TYPES } from "~/analytics/customer-types/customer-types";
import { CUSTOMER_GROUPS } from "~/analytics/groups/customer-groups";
import type { ProductRank } from "~/analytics/products/top-products";
import { ChartCard } from "~/components/charts/chart-card";
import { figureFormat } from "~/components/figure-format";
import { BarListBox, ChartBox, compactMoney, InsightPage } from "~/components/insight-page";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { productsInsight } from "~/services/insights.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return productsInsight(session.shop);
}

/** "type:vip" or "group:loyal": whose most bought products are shown. */
const AUDIENCES = [...CUSTOMER_TYPES.map((type) => `type:${type}`), ...CUSTOMER_GROUPS.map((group) => `group:${group}`)];

export default function Products() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  const [audience, setAudience] = useState(AUDIENCES[0]);
  const ready = data.state === "ready" ? data : null;
  const format = figureFormat(locale, ready?.basis.currencyCode ?? null);
  const axisMoney = compactMoney(locale, ready?.basis.currencyCode ?? null);
  const audienceLabel = (value: string) => {
    const [kind, name] = value.split(":");
    return kind === "type" ? t(`products.customerType.${name}` as TranslationKey) : t(`group.${name}` as TranslationKey);
  };
  let top: ProductRank[] = [];
  if (ready) {
    const [kind, name] = audience.split(":");
    top = (kind === "type" ? ready.topByCustomerType[name as keyof typeof ready.topByCustomerType] : ready.topByGroup[name]) ?? [];
  }
  const productName = (title: string) => title || t("products.untitled");
  const tiers = ready?.spendTiers;
  const tierTotal = tiers ? tiers.tiers.reduce((s, r) => s + r.revenue, 0) : 0;
  return (
    <InsightPage
      title={t("products.title")}
      basis={ready?.basis ?? null}
      analysisStatus={data.analysisStatus}
      format={format}
      basisLine={(asOf) => t("products.basis", { date: asOf, basis: t(`settings.revenueBasis.${ready?.basis.revenueBasis ?? "current_total"}` as TranslationKey) })}
      empty={{ heading: t("products.empty.heading"), body: t("products.empty.body") }}
    >
      <ChartCard
        title={t("products.top.title", { audience: audienceLabel(audience) })}
        definition={t("products.top.definition")}
        table={{
          headings: [t("products.column.product"), t("products.column.orders"), t("products.column.customers"), t("products.column.quantity"), t("products.column.revenue")],
          rows: top.map((p) => [productName(p.title), format.count(p.orders), format.count(p.customers), format.count(p.quantity), format.money(p.revenue)]),
        }}
        empty={top.length === 0 ? t("products.top.none") : null}
        actions={
          <Select
            label={t("products.top.audience")}
            labelInline
            options={AUDIENCES.map((value) => ({ value, label: audienceLabel(value) }))}
            value={audience}
            onChange={setAudience}
          />
        }
      >
        <BarListBox bars={top.length}>
          <BarChart
            direction="horizontal"
            showLegend={false}
            data={[{ name: t("products.column.orders"), data: top.map((p) => ({ key: productName(p.title), value: p.orders })) }]}
            xAxisOptions={{ labelFormatter: (value) => format.count(Number(value)) }}
          />
        </BarListBox>
      </ChartCard>
      <ChartCard
        title={t("products.crossSell.title")}
        definition={t("products.crossSell.definition")}
        table={{
          headings: [t("products.crossSell.bought"), t("products.crossSell.neverBought"), t("products.crossSell.audience"), t("products.crossSell.confidence"), t("products.crossSell.lift")],
          rows: (ready?.crossSell ?? []).map((pair) => [
            productName(pair.boughtTitle),
            productName(pair.neverBoughtTitle),
            format.count(pair.audience),
            format.percent(pair.confidence),
            t("products.crossSell.liftValue", { lift: format.lift(pair.lift) }),
          ]),
        }}
        empty={(ready?.crossSell.length ?? 0) === 0 ? t("products.crossSell.none") : null}
      >
        <BarListBox bars={Math.min(10, ready?.crossSell.length ?? 0)}>
          <BarChart
            direction="horizontal"
            showLegend={false}
            data={[
              {
                name: t("products.crossSell.audience"),
                data: (ready?.crossSell ?? []).slice(0, 10).map((pair) => ({ key: `${productName(pair.boughtTitle)} → ${productName(pair.neverBoughtTitle)}`, value: pair.audience })),
              },
            ]}
            xAxisOptions={{ labelFormatter: (value) => format.count(Number(value)) }}
          />
        </BarListBox>
      </ChartCard>
      <ChartCard
        title={t("products.tiers.title")}
        definition={
          tiers && tiers.high !== null && tiers.mid !== null
            ? t("products.tiers.definition", { high: format.money(tiers.high), mid: format.money(tiers.mid) })
            : t("products.tiers.definitionNone")
        }
        table={{
          headings: [t("products.tiers.tier"), t("products.column.customers"), t("products.column.revenue"), t("products.tiers.share")],
          rows: (tiers?.tiers ?? []).map((row) => [t(`products.tier.${row.tier}` as TranslationKey), format.count(row.customers), format.money(row.revenue), tierTotal > 0 ? format.percent(row.revenue / tierTotal) : "—"]),
        }}
        empty={!tiers || tiers.tiers.every((row) => row.customers === 0) ? t("products.tiers.none") : null}
      >
        <ChartBox height={220}>
          <BarChart
            showLegend={false}
            data={[{ name: t("products.column.revenue"), data: (tiers?.tiers ?? []).map((row) => ({ key: t(`products.tier.${row.tier}` as TranslationKey), value: row.revenue })) }]}
            yAxisOptions={{ labelFormatter: (value) => axisMoney(Number(value)) }}
          />
        </ChartBox>
      </ChartCard>
    </InsightPage>
  );
}
