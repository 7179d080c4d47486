/**
 * The simulator's admin pages for the app's admin UI extension (the customer card, F14), so the
 * card can be seen without a Shopify account:
 *
 *   GET /store/<name>/customers                     a short list of the shop's customers
 *   GET /store/<name>/customers/<id>[?locale=nl]    a customer page with the card's block
 *   GET /store/<name>/customers/<id>/blocks/customer-card[?locale=…]
 *                                                   the block's frame: the extension host + module
 *   GET /store/<name>/apps/<api key>/<path>         the admin framing an app page (the card's `app:` link)
 *   GET /ui-extensions/host.js, /ui-extensions/customer-card.js
 *                                                   the host script and the extension's built module
 *
 * The extension module is the one Shopify would get (extension-bundle.ts builds it from
 * extensions/customer-card), and the card asks the app for its data exactly as in the admin:
 * `fetch("/api/customer-card?…")` with a session token the simulator minted for the shop.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { adminFramePage } from "./app-bridge-stub.ts";
import type { ExtensionHostConfig } from "./admin-extension-host.ts";
import { buildCustomerCard, bundleModule, CUSTOMER_CARD_DIR } from "./extension-bundle.ts";
import { globalId, numericId, parseResourceId } from "./resource-ids.ts";
import type { ShopRuntime } from "./shop-runtime.ts";
import { FIRST_NAMES, LAST_NAMES } from "./store-catalog.ts";
import type { ExtensionTranslations } from "./ui-extension-i18n.ts";

export interface AdminExtensionPagesContext {
  appUrl: string | undefined;
  apiKey: string;
  shop(domain: string): ShopRuntime | undefined;
  mintSessionToken(domain: string): string;
}

export interface PageResponse {
  status: number;
  body: string;
  contentType: string;
}

/** The languages the extension ships (locales/*.json); the admin user's locale picks one. */
export const EXTENSION_LOCALES = ["en", "nl", "da"] as const;
const TARGET = "admin.customer-details.block.render";
const HOST_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), "admin-extension-host.ts");

const html = (body: string): PageResponse => ({ status: 200, body, contentType: "text/html; charset=utf-8" });
const text = (status: number, body: string): PageResponse => ({ status, body, contentType: "text/plain; charset=utf-8" });
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** JSON inside <script>: "<" escaped so a value cannot close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function readLocale(locale: string): ExtensionTranslations {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(path.join(CUSTOMER_CARD_DIR, "locales", file), "utf8")) as ExtensionTranslations;
}

function localeOf(query: URLSearchParams): (typeof EXTENSION_LOCALES)[number] {
  const asked = (query.get("locale") ?? "en").slice(0, 2).toLowerCase();
  return (EXTENSION_LOCALES as readonly string[]).includes(asked) ? (asked as (typeof EXTENSION_LOCALES)[number]) : "en";
}

function customerName(runtime: ShopRuntime, row: number): string {
  const customers = runtime.store.customers;
  return `${FIRST_NAMES[customers.firstNameIdx[row]]} ${LAST_NAMES[customers.lastNameIdx[row]]}`;
}

const PAGE_STYLE = `body{margin:0;font:14px system-ui;background:#f1f1f1;color:#303030}
header{background:#1a1a1a;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
header a{color:#e3e3e3}main{max-width:960px;margin:24px auto;padding:0 16px}
.columns{display:grid;grid-template-columns:1fr 380px;gap:16px;align-items:start}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 0 0 1px #00000014}
iframe{border:0;width:100%;height:720px}nav.locales a{margin-right:8px}li{margin:4px 0}`;

function header(shop: string) {
  return `<header><span>Shopify admin simulator — ${escapeHtml(shop)}</span><a href="/store/${escapeHtml(shop.replace(/\.myshopify\.com$/, ""))}/customers">Customers</a></header>`;
}

/** Handles the extension pages; null for any other request. */
export async function adminExtensionPage(pathname: string, method: string, query: URLSearchParams, ctx: AdminExtensionPagesContext): Promise<PageResponse | null> {
  if (method !== "GET") return null;
  // Both built per request (about 0.1 s): an edit shows on the next reload, as with `shopify app dev`.
  if (pathname === "/ui-extensions/host.js") return { status: 200, body: await bundleModule(HOST_ENTRY), contentType: "text/javascript; charset=utf-8" };
  if (pathname === "/ui-extensions/customer-card.js") {
    return { status: 200, body: (await buildCustomerCard()).code, contentType: "text/javascript; charset=utf-8" };
  }

  const appPage = /^\/store\/([a-z0-9-]+)\/apps\/([^/]+)\/(.+)$/.exec(pathname);
  if (appPage) {
    const domain = `${appPage[1]}.myshopify.com`;
    if (!ctx.shop(domain)) return text(404, "Unknown shop");
    if (!ctx.appUrl) return text(500, "The simulator was started without an appUrl.");
    const target = new URL(`${appPage[3]}${query.size ? `?${query}` : ""}`, ctx.appUrl.endsWith("/") ? ctx.appUrl : `${ctx.appUrl}/`);
    return html(adminFramePage({ shopDomain: domain, appUrl: target.toString(), idToken: ctx.mintSessionToken(domain), appRoot: ctx.appUrl }));
  }

  const customers = /^\/store\/([a-z0-9-]+)\/customers(?:\/([0-9]+)(\/blocks\/customer-card)?)?\/?$/.exec(pathname);
  if (!customers) return null;
  const name = customers[1];
  const domain = `${name}.myshopify.com`;
  const runtime = ctx.shop(domain);
  if (!runtime) return text(404, "Unknown shop");
  const locale = localeOf(query);

  if (customers[2] === undefined) {
    const rows = Math.min(25, runtime.store.customers.count);
    const items = Array.from({ length: rows }, (_, row) => {
      const id = numericId("Customer", row);
      return `<li><a href="/store/${name}/customers/${id}">${escapeHtml(customerName(runtime, row))}</a> · ${runtime.store.customers.numberOfOrders[row]} orders</li>`;
    }).join("");
    return html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customers · ${escapeHtml(name)}</title><style>${PAGE_STYLE}</style></head>
<body>${header(domain)}<main><h1>Customers</h1><div class="card"><p>The first ${rows} of ${runtime.store.customers.count} customers. Open one to see the app's customer card.</p><ul>${items}</ul></div></main></body></html>`);
  }

  const parsed = parseResourceId(customers[2], "Customer");
  if (!parsed || parsed.sequence >= runtime.store.customers.count) return text(404, "Unknown customer");
  const gid = globalId("Customer", parsed.sequence);

  if (customers[3] === undefined) {
    const frame = `/store/${name}/customers/${customers[2]}/blocks/customer-card?locale=${locale}`;
    const locales = EXTENSION_LOCALES.map((l) => (l === locale ? `<strong>${l}</strong>` : `<a href="?locale=${l}">${l}</a>`)).join(" ");
    return html(`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(customerName(runtime, parsed.sequence))} · Customers</title><style>${PAGE_STYLE}</style></head>
<body>${header(domain)}<main><h1>${escapeHtml(customerName(runtime, parsed.sequence))}</h1>
<nav class="locales" aria-label="Admin language">Admin language: ${locales}</nav>
<div class="columns"><div class="card"><p>Customer ${escapeHtml(gid)}</p><p>${runtime.store.customers.numberOfOrders[parsed.sequence]} orders</p><p class="tags">Tags: ${escapeHtml((runtime.store.customers.tags[parsed.sequence] ?? []).join(", ")) || "none"}</p></div>
<div><iframe title="Customer Insights block" src="${escapeHtml(frame)}"></iframe></div></div></main></body></html>`);
  }

  if (!ctx.appUrl) return text(500, "The simulator was started without an appUrl.");
  const config: ExtensionHostConfig = {
    target: TARGET,
    shop: domain,
    selectedId: gid,
    locale,
    translations: readLocale(locale),
    fallbackTranslations: readLocale("en"),
    appUrl: ctx.appUrl,
    appAdminPath: `/store/${name}/apps/${encodeURIComponent(ctx.apiKey)}`,
    customersAdminPath: `/store/${name}/customers`,
    moduleUrl: "/ui-extensions/customer-card.js",
  };
  return html(`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>customer-card</title>
<script type="application/json" id="extension-host-config">${scriptJson(config)}</script>
<script type="module" src="/ui-extensions/host.js"></script></head><body></body></html>`);
}
