// @vitest-environment happy-dom
/**
 * The simulator's extension host gives the module what Shopify's admin gives it: a `shopify`
 * global for the selected customer in the admin's language, and a `fetch` that sends relative
 * URLs to the app with a session token — fetched from the simulator without going through
 * that same wrapper.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminUrlFor, installExtensionHost, type ExtensionHostConfig } from "./admin-extension-host.ts";

const config: ExtensionHostConfig = {
  target: "admin.customer-details.block.render",
  shop: "demo.myshopify.com",
  selectedId: "gid://shopify/Customer/8000000000000000001",
  locale: "nl",
  translations: { lifecycle: { active: "Actief" } },
  fallbackTranslations: { lifecycle: { active: "Active", lost: "Lost" } },
  appUrl: "http://127.0.0.1:3000",
  appAdminPath: "/store/demo/apps/demo-api-key",
  customersAdminPath: "/store/demo/customers",
  moduleUrl: "/ui-extensions/customer-card.js",
};

interface Shopify {
  extension: { target: string };
  data: { selected: { id: string }[] };
  i18n: { translate(key: string): string };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the simulator's admin extension host", () => {
  it("gives the module the selected customer and the admin's language, falling back to en.default", () => {
    vi.stubGlobal("fetch", vi.fn());
    installExtensionHost(config);
    const shopify = (window as unknown as { shopify: Shopify }).shopify;
    expect(shopify.extension.target).toBe("admin.customer-details.block.render");
    expect(shopify.data.selected).toEqual([{ id: config.selectedId }]);
    expect(shopify.i18n.translate("lifecycle.active")).toBe("Actief");
    expect(shopify.i18n.translate("lifecycle.lost")).toBe("Lost");
  });

  it("sends relative URLs to the app with a fresh session token, and other origins untouched", async () => {
    const calls: { url: string; authorization: string | null }[] = [];
    const pageFetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      calls.push({ url, authorization: new Headers(init?.headers).get("Authorization") });
      return new Response(url.includes("/session-token") ? "token-123" : "{}");
    });
    vi.stubGlobal("fetch", pageFetch);
    installExtensionHost(config);

    await window.fetch("/api/customer-card?customerId=x");
    await window.fetch("https://example.com/other");
    expect(calls).toEqual([
      // The token comes from the simulator's own origin, without an Authorization header of its own.
      { url: "/session-token?shop=demo.myshopify.com", authorization: null },
      { url: "http://127.0.0.1:3000/api/customer-card?customerId=x", authorization: "Bearer token-123" },
      { url: "https://example.com/other", authorization: null },
    ]);
  });

  it("leads app: links to the app inside the simulated admin and customer links to the customer page", () => {
    expect(adminUrlFor("app:app/customers?customer=gid%3A%2F%2Fx", config)).toBe("/store/demo/apps/demo-api-key/app/customers?customer=gid%3A%2F%2Fx");
    expect(adminUrlFor("shopify:admin/customers/8000000000000000001", config)).toBe("/store/demo/customers/8000000000000000001");
    expect(adminUrlFor("https://help.shopify.com/", config)).toBe("https://help.shopify.com/");
  });
});
