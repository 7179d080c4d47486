import { useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Page } from "@shopify/polaris";
import type { InvalidListParameter } from "~/customers/customer-list-query";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";

/**
 * The page a customer list (Customers, a segment's members) shows for a bad URL parameter
 * (400 "invalid-query"): which parameter and why, in the admin's language, and a button that
 * clears the list's parameters. `problem` is the 400's body (InvalidListParameter). Other pages'
 * bad parameters (the dashboard's period) pass their own heading and button (route-problem.tsx).
 */
export function InvalidListQuery({
  title,
  problem,
  parameters,
  heading,
  resetLabel,
}: {
  title: string;
  problem: InvalidListParameter;
  parameters: readonly string[];
  heading?: string;
  resetLabel?: string;
}) {
  const { t } = useTranslation();
  const [, setSearchParams] = useSearchParams();
  const why = t(`customers.invalidQuery.reason.${problem.reason}` as TranslationKey, { allowed: (problem.allowed ?? []).join(", "), max: problem.max ?? 0 });
  return (
    <Page title={title}>
      <Banner tone="critical" title={heading ?? t("customers.invalidQuery.title")}>
        <BlockStack gap="200">
          <p>{t("customers.invalidQuery.body", { field: problem.field, message: why })}</p>
          <InlineStack>
            <Button
              onClick={() =>
                setSearchParams((current) => {
                  const next = new URLSearchParams(current);
                  for (const key of parameters) next.delete(key);
                  return next;
                })
              }
            >
              {resetLabel ?? t("customers.invalidQuery.reset")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Banner>
    </Page>
  );
}
