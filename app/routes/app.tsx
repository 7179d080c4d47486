import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { PolarisVizProvider } from "@shopify/polaris-viz";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { appBridgeUrl } from "~/config/shopify-simulator.server";
import { getEnv } from "~/env.server";
import { I18nProvider, useTranslation } from "~/i18n/i18n-context";
import { polarisTranslations } from "~/i18n/polaris-translations.server";
import { resolveLocale } from "~/i18n/resolve-locale";
import { authenticate } from "~/shopify.server";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: polarisVizStyles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.admin(request);
  const locale = resolveLocale(new URL(request.url), request.headers.get("accept-language"));
  const env = getEnv();
  return {
    apiKey: env.SHOPIFY_API_KEY,
    appBridgeUrl: appBridgeUrl(env.SHOPIFY_SIMULATOR_URL),
    locale,
    polarisTranslations: polarisTranslations(locale),
  };
}

// Static per document load (API key, language); see root.tsx on why it is not re-fetched.
export const shouldRevalidate = () => false;

export default function App() {
  const { apiKey, appBridgeUrl, locale, polarisTranslations } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations} __APP_BRIDGE_URL={appBridgeUrl}>
      <I18nProvider locale={locale}>
        <PolarisVizProvider>
          <AppNavigation />
          {/* The page's one main landmark: screen readers jump to it past the navigation. */}
          <main>
            <Outlet />
          </main>
        </PolarisVizProvider>
      </I18nProvider>
    </AppProvider>
  );
}

function AppNavigation() {
  const { t } = useTranslation();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.dashboard")}
      </Link>
      <Link to="/app">{t("nav.dashboard")}</Link>
      <Link to="/app/customer-base">{t("customerBase.nav")}</Link>
      <Link to="/app/customers">{t("nav.customers")}</Link>
      {/* Insights: seed 001's questions (where, what, when, how acquired) and how good the predictions are. */}
      <Link to="/app/geography">{t("geography.nav")}</Link>
      <Link to="/app/products">{t("products.nav")}</Link>
      <Link to="/app/timing">{t("timing.nav")}</Link>
      <Link to="/app/acquisition">{t("acquisition.nav")}</Link>
      <Link to="/app/model-quality">{t("modelQuality.nav")}</Link>
      <Link to="/app/segments">{t("nav.segments")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
    </NavMenu>
  );
}

// shopify-app-remix needs these two in the layout: its auth flow answers with thrown
// responses (bounce page, exit-iframe, 401 with a retry header) that must reach the browser
// with their headers intact.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
