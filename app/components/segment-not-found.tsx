import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";

/** A deleted or unknown segment (404) on any of its pages: says so, with the way back to the list. */
export function SegmentNotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t("segmentPage.notFound.title")} backAction={{ content: t("segments.title"), url: "/app/segments" }}>
      <Banner tone="warning" title={t("segmentPage.notFound.title")}>
        <p>{t("segmentPage.notFound.body")}</p>
      </Banner>
    </Page>
  );
}

/** The error boundary of a segment's editor and push page: a 404 is a missing segment; anything else goes to the layout's. */
export function SegmentPageErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <SegmentNotFound />;
  throw error;
}
