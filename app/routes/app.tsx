import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import type { ReactNode } from "react";
import { isRouteErrorResponse, Link, Outlet, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { PolarisVizProvider } from "@shopify/polaris-viz";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { RouteProblem, type RouteProblemData } from "~/components/route-problem";
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
  return (
    <AppShell>
      <Outlet />
    </AppShell>
  );
}

/** Polaris, the admin's language, charts and the navigation: around every page, and around the error page below. */
function AppShell({ children }: { children: ReactNode }) {
  const { apiKey, appBridgeUrl, locale, polarisTranslations } = useRouteLoaderData<typeof loader>("routes/app")!;
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations} __APP_BRIDGE_URL={appBridgeUrl}>
      <I18nProvider locale={locale}>
        <PolarisVizProvider>
          <AppNavigation />
          {/* The page's one main landmark: screen readers jump to it past the navigation. */}
          <main>{children}</main>
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
// with their headers intact. A page's own 4xx (JSON: a deleted segment, a bad `?period=`)
// that the page does not word itself is shown here in the layout, in the admin's language;
// shopify's boundary would print it as "[object Object]".
export function ErrorBoundary() {
  const error = useRouteError();
  const layout = useRouteLoaderData<typeof loader>("routes/app");
  if (layout && isRouteErrorResponse(error) && typeof error.data === "object" && error.data !== null) {
    return (
      <AppShell>
        <RouteProblem status={error.status} data={error.data as RouteProblemData} />
      </AppShell>
    );
  }
  return boundary.error(error);
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
