import { useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Page } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";

/**
 * The page a customer list (Customers, a segment's members) shows for a bad URL parameter
 * (400 "invalid-query"): which parameter and why, and a button that clears the list's parameters.
 */
export function InvalidListQuery({ title, field, message, parameters }: { title: string; field: string; message: string; parameters: readonly string[] }) {
  const { t } = useTranslation();
  const [, setSearchParams] = useSearchParams();
  return (
    <Page title={title}>
      <Banner tone="critical" title={t("customers.invalidQuery.title")}>
        <BlockStack gap="200">
          <p>{t("customers.invalidQuery.body", { field, message })}</p>
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
              {t("customers.invalidQuery.reset")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Banner>
    </Page>
  );
}
