/**
 * Development/test only: send the Shopify libraries' requests to the local simulator
 * (tools/shopify-sim) instead of https://{shop}.myshopify.com.
 *
 * @shopify/shopify-api builds every URL as `https://{shop}/…` (GraphQL, token exchange,
 * refresh) and sends it through its runtime's abstract fetch, so rewriting there keeps the
 * app's Shopify client code unchanged. env.server.ts refuses SHOPIFY_SIMULATOR_URL when
 * NODE_ENV=production, and this function refuses it again, so a production server can never
 * send a shop's token anywhere but Shopify. See docs/decisions/005-simulator-scope.md.
 */
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const SHOP_ORIGIN = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(?=\/|$)/;

/** `https://demo.myshopify.com/admin/…` → `{simulatorUrl}/demo.myshopify.com/admin/…`; other URLs unchanged. */
export function simulatorUrlFor(url: string, simulatorUrl: string): string {
  return url.replace(SHOP_ORIGIN, `${simulatorUrl.replace(/\/+$/, "")}/$1`);
}

/** A fetch that sends https://{shop}.myshopify.com requests to the simulator. @throws in production. */
export function simulatorFetch(simulatorUrl: string, nodeEnv = process.env.NODE_ENV): typeof fetch {
  if (nodeEnv === "production") {
    throw new Error("SHOPIFY_SIMULATOR_URL is refused in production: the simulator is for development and tests only");
  }
  return (input, init) => {
    if (typeof input === "string" || input instanceof URL) return fetch(simulatorUrlFor(String(input), simulatorUrl), init);
    return fetch(new Request(simulatorUrlFor(input.url, simulatorUrl), input), init);
  };
}

/** Routes the Shopify libraries' own requests (GraphQL, token exchange, refresh) to the simulator. */
export function routeShopifyRequestsToSimulator(simulatorUrl: string, nodeEnv = process.env.NODE_ENV): void {
  setAbstractFetchFunc(simulatorFetch(simulatorUrl, nodeEnv));
}

/** Where the embedded pages load App Bridge from: Shopify's CDN, or the simulator's stand-in. */
export function appBridgeUrl(simulatorUrl: string | undefined): string | undefined {
  return simulatorUrl ? `${simulatorUrl.replace(/\/+$/, "")}/app-bridge.js` : undefined;
}

/**
 * Lets the simulator's admin page frame the app: adds its origin to the CSP frame-ancestors
 * that shopify-app-remix set for the shop, and drops the preload of the CDN's App Bridge
 * (the page loads the simulator's stand-in instead).
 */
export function allowSimulatorToFrame(headers: Headers, simulatorUrl: string): void {
  const link = headers.get("Link");
  if (link?.includes("cdn.shopify.com")) headers.delete("Link");
  const csp = headers.get("Content-Security-Policy");
  if (!csp) return;
  const origin = new URL(simulatorUrl).origin;
  headers.set("Content-Security-Policy", csp.replace(/frame-ancestors ([^;]*)/, (_all, sources: string) => `frame-ancestors ${sources} ${origin}`));
}
