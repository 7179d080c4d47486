import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useTranslation } from "~/i18n/i18n-context";

// Shopify opens the app URL with ?shop=…; send that straight into the embedded app.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
}

export default function Landing() {
  const { t } = useTranslation();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", padding: "3rem 2rem", maxWidth: "40rem", margin: "0 auto" }}>
      <h1>{t("landing.title")}</h1>
      <p>{t("landing.body")}</p>
    </main>
  );
}
