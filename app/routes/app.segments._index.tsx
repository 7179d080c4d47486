import type { LoaderFunctionArgs } from "@remix-run/node";
import { Layout, Page } from "@shopify/polaris";
import { ExplainedEmptyState } from "~/components/explained-empty-state";
import { useTranslation } from "~/i18n/i18n-context";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function Segments() {
  const { t } = useTranslation();
  return (
    <Page title={t("segments.title")}>
      <Layout>
        <Layout.Section>
          <ExplainedEmptyState
            heading={t("segments.empty.heading")}
            body={t("segments.empty.body")}
            note={t("segments.empty.push")}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
