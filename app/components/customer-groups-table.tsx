import { DataTable } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import type { DashboardGroup } from "~/services/dashboard.server";
import type { FigureFormat } from "./figure-format";

/**
 * Seed 000's segments table, one row per customer group (seed 002): customers, average LTV,
 * order frequency (orders per year) and average order value, so VIPs can be compared with
 * one-time buyers at a glance.
 */
export function CustomerGroupsTable({ groups, format }: { groups: DashboardGroup[]; format: FigureFormat }) {
  const { t } = useTranslation();
  const orDash = (value: number | null, f: (v: number) => string) => (value === null ? "—" : f(value));
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
      headings={[
        t("dashboard.groups.column.group"),
        t("dashboard.groups.column.customers"),
        t("dashboard.groups.column.ltv"),
        t("dashboard.v2.groups.ordersPerYear"),
        t("dashboard.v2.groups.aov"),
      ]}
      rows={groups.map((g) => [
        t(`group.${g.group}` as TranslationKey),
        format.count(g.customers),
        orDash(g.ltv, format.money),
        orDash(g.ordersPerYear, format.decimal),
        orDash(g.aov, format.money),
      ])}
    />
  );
}
