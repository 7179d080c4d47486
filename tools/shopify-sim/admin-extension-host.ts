/**
 * Browser side of the simulator's stand-in for Shopify's admin UI extension host (bundled by
 * admin-extension-pages.ts). In the real admin an extension runs in a sandbox with a `shopify`
 * global, a `fetch` that resolves relative URLs against the app's URL and adds Shopify's ID
 * token, and Polaris web components drawn by the admin. Here it runs in its own frame:
 *
 * - `shopify`: extension.target, data.selected (the customer of the page), i18n over the
 *   extension's locales in the chosen language, auth.idToken, navigation.navigate;
 * - `fetch`: same-app requests get `Authorization: Bearer <token from /session-token>`;
 * - the `s-*` elements are plain elements styled by attribute (heading, tone, type, …): enough
 *   to read the card, not Polaris' look.
 */
import { createExtensionI18n, type ExtensionTranslations } from "./ui-extension-i18n.ts";

export interface ExtensionHostConfig {
  target: string;
  shop: string;
  selectedId: string;
  locale: string;
  translations: ExtensionTranslations;
  fallbackTranslations: ExtensionTranslations;
  appUrl: string;
  /** Simulator path of the app in the admin (`/store/<name>/apps/<api key>`), for `app:` links. */
  appAdminPath: string;
  /** Simulator path of the admin's customer pages (`/store/<name>/customers`), for `shopify:admin/customers/…`. */
  customersAdminPath: string;
  moduleUrl: string;
}

const STYLES = `
body{margin:0;padding:4px;font:14px/1.45 system-ui,sans-serif;color:#303030;background:transparent}
s-admin-block{display:block;background:#fff;border-radius:12px;box-shadow:0 1px 0 #1a1a1a12,0 0 0 1px #00000014;padding:16px}
s-admin-block::before{content:attr(heading);display:block;font-weight:650;margin-bottom:12px}
s-stack{display:flex;flex-direction:column;gap:12px}
s-stack[direction=inline]{flex-direction:row;flex-wrap:wrap;gap:8px}
s-stack[gap=small-500]{gap:2px}
s-grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}
s-text[type=strong]{font-weight:600}
s-text[color=subdued]{color:#616161}
s-paragraph{display:block}
s-badge{display:inline-block;border-radius:8px;padding:2px 8px;background:#e3e3e3;font-size:12px;font-weight:550}
s-badge[tone=info]{background:#e0f0ff}s-badge[tone=success]{background:#cdfee1}
s-badge[tone=warning]{background:#ffd6a4}s-badge[tone=critical]{background:#fedad9}
s-banner{display:flex;flex-direction:column;gap:4px;border-radius:8px;padding:12px;background:#e0f0ff}
s-banner[tone=warning]{background:#fff1e3}
s-banner::before{content:attr(heading);font-weight:600}
s-link{color:#005bd3;text-decoration:underline;cursor:pointer}
s-spinner::before{content:"…"}
`;

/** Where a link of the extension leads in the simulated admin (`app:…`, `shopify:admin/customers/…`, or as is). */
export function adminUrlFor(href: string, config: Pick<ExtensionHostConfig, "appAdminPath" | "customersAdminPath">): string {
  if (href.startsWith("app:")) return `${config.appAdminPath}/${href.slice(4).replace(/^\/+/, "")}`;
  if (href.startsWith("shopify:admin/customers/")) return `${config.customersAdminPath}/${href.slice("shopify:admin/customers/".length)}`;
  return href;
}

/** Sets up the frame as the admin would for an extension module: styles, `shopify`, `fetch`, links. */
export function installExtensionHost(config: ExtensionHostConfig) {
  const style = document.createElement("style");
  style.textContent = STYLES;
  document.head.appendChild(style);

  // The frame's own fetch: the token request must not go through the app-bound wrapper below.
  const pageFetch = window.fetch.bind(window);
  const idToken = async () => {
    const response = await pageFetch(`/session-token?shop=${encodeURIComponent(config.shop)}`);
    if (!response.ok) throw new Error(`shopify-sim: session token request failed (${response.status})`);
    return response.text();
  };

  const navigate = (target: string | URL) => {
    (window.top ?? window).location.href = adminUrlFor(String(target), config);
  };

  // Like the admin: relative URLs go to the app, and requests to the app carry the ID token.
  const appOrigin = new URL(config.appUrl).origin;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const raw = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, config.appUrl);
    if (url.origin !== appOrigin) return pageFetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${await idToken()}`);
    return pageFetch(url, { ...init, headers });
  };

  (window as unknown as { shopify: unknown }).shopify = {
    extension: { target: config.target },
    data: { selected: [{ id: config.selectedId }] },
    i18n: createExtensionI18n(config.locale, config.translations, config.fallbackTranslations),
    auth: { idToken },
    navigation: { navigate },
  };

  // <s-link href> navigates as the admin does (app:, shopify:admin/…, or a URL).
  document.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest?.("s-link");
    const href = link?.getAttribute("href");
    if (!href) return;
    event.preventDefault();
    navigate(href);
  });
}

const configElement = document.getElementById("extension-host-config");
if (configElement?.textContent) {
  const config = JSON.parse(configElement.textContent) as ExtensionHostConfig;
  installExtensionHost(config);
  const extension = (await import(/* @vite-ignore */ config.moduleUrl)) as { default: () => unknown };
  await extension.default();
}
