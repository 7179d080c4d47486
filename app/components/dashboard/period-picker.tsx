import { useSearchParams } from "@remix-run/react";
import { BlockStack, Button, InlineStack, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { PeriodPreset } from "~/analytics/metrics/analysis-period";
import type { CustomPeriodError } from "~/analytics/metrics/custom-period";
import type { PeriodChoice } from "~/dashboard/period-choice";
import { useTranslation } from "~/i18n/i18n-context";

const CHOICES = ["30d", "90d", "12m", "all", "custom"] as const;

/**
 * The key figures' period (seed 000): 30 days, 90 days, 12 months, all time or the merchant's
 * own range. The choice lives in the URL (`?period=`), so a reload or a shared link keeps it.
 */
export function PeriodPicker({ choice, presets, customError }: { choice: PeriodChoice; presets: readonly PeriodPreset[]; customError: CustomPeriodError | null }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const selected = choice.kind === "custom" ? "custom" : choice.preset;
  const [showCustom, setShowCustom] = useState(selected === "custom");
  const [from, setFrom] = useState(choice.kind === "custom" ? choice.from : "");
  const [to, setTo] = useState(choice.kind === "custom" ? choice.to : "");
  const go = (next: Record<string, string>) => {
    const merged = new URLSearchParams(params);
    for (const key of ["period", "from", "to"]) merged.delete(key);
    for (const [key, value] of Object.entries(next)) merged.set(key, value);
    setParams(merged, { preventScrollReset: true });
  };
  const error = (field: "from" | "to") => {
    if (!customError || choice.kind !== "custom") return undefined;
    if (field === "from") return customError === "invalid-start" ? t("dashboard.v2.period.error.invalid-start") : undefined;
    return customError === "invalid-start" ? undefined : t(`dashboard.v2.period.error.${customError}`);
  };
  return (
    <BlockStack gap="200">
      <Select
        label={t("dashboard.v2.period.label")}
        options={CHOICES.map((value) => ({
          value,
          label: t(`dashboard.v2.period.${value}`),
          disabled: value !== "custom" && !presets.includes(value),
        }))}
        value={showCustom ? "custom" : selected}
        onChange={(value) => {
          if (value === "custom") setShowCustom(true);
          else {
            setShowCustom(false);
            go({ period: value });
          }
        }}
      />
      {showCustom ? (
        <InlineStack gap="200" blockAlign="end" wrap>
          <TextField label={t("dashboard.v2.period.from")} type="date" value={from} onChange={setFrom} autoComplete="off" error={error("from")} />
          <TextField label={t("dashboard.v2.period.to")} type="date" value={to} onChange={setTo} autoComplete="off" error={error("to")} />
          <Button onClick={() => go({ period: "custom", from, to })}>{t("dashboard.v2.period.apply")}</Button>
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}
