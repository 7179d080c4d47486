import { Banner, BlockStack, Button, InlineStack, Page } from "@shopify/polaris";
import type { InvalidListParameter } from "~/customers/customer-list-query";
import { useTranslation } from "~/i18n/i18n-context";
import { MESSAGES, type TranslationKey } from "~/i18n/translate";
import { InvalidListQuery } from "./invalid-list-query";

/** The JSON a page's loader throws for a merchant's mistake: `{ error: <translation key or code>, … }`. */
export type RouteProblemData = { error?: unknown } & Partial<InvalidListParameter>;

const isTranslationKey = (value: unknown): value is TranslationKey => typeof value === "string" && value in MESSAGES.en;

/**
 * The embedded layout's page for a 4xx a page's loader threw and the page itself does not word
 * (app.tsx's error boundary): a bad URL parameter says which and why, with a button that drops
 * it; anything else says what is missing in the admin's language, with the way to the dashboard.
 * Never the raw JSON.
 */
export function RouteProblem({ status, data }: { status: number; data: RouteProblemData }) {
  const { t } = useTranslation();
  if (data.error === "invalid-query" && typeof data.field === "string" && data.reason) {
    return (
      <InvalidListQuery
        title={t("error.invalidAddress.title")}
        heading={t("error.invalidAddress.title")}
        resetLabel={t("error.invalidAddress.reset")}
        problem={data as InvalidListParameter}
        parameters={[data.field]}
      />
    );
  }
  const title = status === 404 ? t("error.notFoundTitle") : t("error.title");
  const body = isTranslationKey(data.error) ? t(data.error) : status === 404 ? t("error.notFound") : t("error.body");
  return (
    <Page title={title}>
      <Banner tone="warning" title={title}>
        <BlockStack gap="200">
          <p>{body}</p>
          <InlineStack>
            <Button url="/app">{t("error.toDashboard")}</Button>
          </InlineStack>
        </BlockStack>
      </Banner>
    </Page>
  );
}
