import type { LoaderFunctionArgs } from "@remix-run/node";
import { Layout, Page } from "@shopify/polaris";
import { ExplainedEmptyState } from "~/components/explained-empty-state";
import { useTranslation } from "~/i18n/i18n-context";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  return null;
}

export default function Customers() {
  const { t } = useTranslation();
  return (
    <Page title={t("customers.title")}>
      <Layout>
        <Layout.Section>
          <ExplainedEmptyState
            heading={t("customers.empty.heading")}
            body={t("customers.empty.body")}
            note={t("customers.empty.guests")}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
