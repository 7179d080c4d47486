import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { useTranslation } from "~/i18n/i18n-context";
import { polarisTranslations } from "~/i18n/polaris-translations.server";
import { resolveLocale } from "~/i18n/resolve-locale";
import type { TranslationKey } from "~/i18n/translate";
import { login } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/** Login errors as translation keys (the library returns codes, not text). */
function loginErrorKey(errors: { shop?: LoginErrorType }): TranslationKey | undefined {
  if (errors.shop === LoginErrorType.MissingShop) return "login.error.missingShop";
  if (errors.shop === LoginErrorType.InvalidShop) return "login.error.invalidShop";
  return undefined;
}

// Outside the admin (a merchant opening the app URL directly): ask for the shop, then let
// Shopify's managed install take over.
export async function loader({ request }: LoaderFunctionArgs) {
  const errors = await login(request);
  const locale = resolveLocale(new URL(request.url), request.headers.get("accept-language"));
  return { errorKey: loginErrorKey(errors), polarisTranslations: polarisTranslations(locale) };
}

export async function action({ request }: ActionFunctionArgs) {
  return { errorKey: loginErrorKey(await login(request)) };
}

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [shop, setShop] = useState("");
  const errorKey = actionData?.errorKey ?? loaderData.errorKey;

  return (
    <PolarisAppProvider i18n={loaderData.polarisTranslations}>
      <Page narrowWidth title={t("login.title")}>
        <Card>
          <Form method="post">
            <FormLayout>
              <TextField
                type="text"
                name="shop"
                label={t("login.shopLabel")}
                helpText={t("login.shopHelp")}
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={errorKey ? t(errorKey) : undefined}
              />
              <Button submit>{t("login.submit")}</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
