import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { I18nProvider, useTranslation } from "~/i18n/i18n-context";
import { resolveLocale } from "~/i18n/resolve-locale";
import { DEFAULT_LOCALE } from "~/i18n/translate";

export async function loader({ request }: LoaderFunctionArgs) {
  return { locale: resolveLocale(new URL(request.url), request.headers.get("accept-language")) };
}

// The document's title (the admin shows the app's own title bar; screen readers and browser
// history need one in the frame too).
export const meta = () => [{ title: "Customer Insights" }];

// The language is fixed for a document load: later data requests carry no `locale` parameter
// and must not switch the page to the browser's language.
export const shouldRevalidate = () => false;

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? DEFAULT_LOCALE;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale}>{children}</I18nProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Last-resort error page, for errors outside the embedded layout (which has its own). */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", padding: "2rem", maxWidth: "40rem" }}>
      <h1>{t("error.title")}</h1>
      <p>{notFound ? t("error.notFound") : t("error.body")}</p>
      {isRouteErrorResponse(error) ? <p>{t("error.status", { status: String(error.status) })}</p> : null}
    </main>
  );
}
