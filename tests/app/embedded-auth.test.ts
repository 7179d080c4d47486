/**
 * App pages only show a shop's data to a request carrying a valid session token for that
 * shop (token exchange, `unstable_newEmbeddedAuthStrategy`). Forged, expired or missing tokens
 * get the library's redirect or 401, never data from the database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { hostParam, mintSessionToken, TEST_API_KEY } from "./session-token";

type DashboardModule = typeof import("~/routes/app._index");
type LayoutModule = typeof import("~/routes/app");

const SHOP_A = "shop-a.myshopify.com";
const SHOP_B = "shop-b.myshopify.com";
// Distinctive stored values: if either shows up in a response, shop data leaked.
const SHOP_A_INSTALLED_AT = new Date("2024-01-02T03:04:05.000Z");
const SHOP_B_INSTALLED_AT = new Date("2023-06-07T08:09:10.000Z");

const dashboardUrl = (shop: string, extra: Record<string, string> = {}) =>
  `${APP_URL}/app?${new URLSearchParams({ embedded: "1", shop, host: hostParam(shop), ...extra })}`;

async function bodyText(response: unknown): Promise<string> {
  return response instanceof Response ? await response.clone().text() : JSON.stringify(response);
}

describe.each(TEST_DIALECTS)("embedded app authentication on %s", (dialect) => {
  let app: AppUnderTest;
  let dashboard: DashboardModule;
  let layout: LayoutModule;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    dashboard = await app.load<DashboardModule>("~/routes/app._index");
    layout = await app.load<LayoutModule>("~/routes/app");
    await app.db.prisma.shop.create({
      data: { shop: SHOP_A, installedAt: SHOP_A_INSTALLED_AT, grantedScopes: "read_orders", hasAllOrdersAccess: false },
    });
    await app.db.prisma.shop.create({
      data: { shop: SHOP_B, installedAt: SHOP_B_INSTALLED_AT, grantedScopes: "read_all_orders", hasAllOrdersAccess: true },
    });
    await app.storeOfflineSession(SHOP_A);
    await app.storeOfflineSession(SHOP_B);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const callDashboard = (request: Request) =>
    responseOf(() => dashboard.loader({ request, params: {}, context: {} }));

  it("a page request without a session token is sent to the bounce page, with no shop data", async () => {
    const response = await callDashboard(new Request(dashboardUrl(SHOP_A)));
    expect(response).toBeInstanceOf(Response);
    const res = response as Response;
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location")!, APP_URL).pathname).toBe("/auth/session-token");
    expect(await bodyText(res)).not.toContain(SHOP_A_INSTALLED_AT.toISOString());
  });

  it("a page request without shop and host is sent to the login page", async () => {
    const response = (await callDashboard(new Request(`${APP_URL}/app`))) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/auth/login");
  });

  it("a data request with a token signed by another secret gets 401 and no shop data", async () => {
    const forged = mintSessionToken({ shop: SHOP_A, secret: "not-the-app-secret" });
    const response = (await callDashboard(
      new Request(`${APP_URL}/app`, { headers: { Authorization: `Bearer ${forged}` } }),
    )) as Response;
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(401);
    expect(response.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
    expect(await bodyText(response)).not.toContain(SHOP_A_INSTALLED_AT.toISOString());
  });

  it("a document request with a forged id_token is sent back to the bounce page for a new token, with no shop data", async () => {
    const forged = mintSessionToken({ shop: SHOP_A, secret: "not-the-app-secret" });
    const response = (await callDashboard(new Request(dashboardUrl(SHOP_A, { id_token: forged })))) as Response;
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location")!, APP_URL).pathname).toBe("/auth/session-token");
    expect(await bodyText(response)).not.toContain(SHOP_A_INSTALLED_AT.toISOString());
  });

  it("a correctly signed token for something that is not an installed shop gets 401, not 500", async () => {
    for (const shop of ["never-installed.example.com", "shop.example.myshopify.io"]) {
      const token = mintSessionToken({ shop });
      const response = (await callDashboard(new Request(`${APP_URL}/app`, { headers: { Authorization: `Bearer ${token}` } }))) as Response;
      expect(response).toBeInstanceOf(Response);
      expect(`${shop}: ${response.status}`).toBe(`${shop}: 401`);
    }
  });

  it("an expired token and a token for another app are both refused", async () => {
    for (const token of [
      mintSessionToken({ shop: SHOP_A, expiresIn: -120 }),
      mintSessionToken({ shop: SHOP_A, apiKey: "some-other-app" }),
    ]) {
      const response = (await callDashboard(
        new Request(`${APP_URL}/app`, { headers: { Authorization: `Bearer ${token}` } }),
      )) as Response;
      expect(response.status).toBe(401);
    }
  });

  it("every page of the app refuses a forged token", async () => {
    const forged = mintSessionToken({ shop: SHOP_A, secret: "not-the-app-secret" });
    for (const route of ["~/routes/app", "~/routes/app._index", "~/routes/app.customers", "~/routes/app.segments._index", "~/routes/app.segments.new", "~/routes/app.segments.$id", "~/routes/app.segments.$id_.export", "~/routes/app.segments.$id_.push", "~/routes/app.settings"]) {
      const { loader } = await app.load<{ loader: DashboardModule["loader"] }>(route);
      const response = (await responseOf(() =>
        loader({ request: new Request(`${APP_URL}/app`, { headers: { Authorization: `Bearer ${forged}` } }), params: {}, context: {} }),
      )) as Response;
      expect([route, response.status]).toEqual([route, 401]);
    }
  });

  it("a valid session token with a stored offline session returns that shop's data, and only that shop's", async () => {
    const token = mintSessionToken({ shop: SHOP_A });
    const data = await callDashboard(new Request(dashboardUrl(SHOP_A, { id_token: token })));
    expect(data).not.toBeInstanceOf(Response);
    expect(data).toEqual({
      install: {
        state: "installed",
        installedAt: SHOP_A_INSTALLED_AT.toISOString(),
        uninstalledAt: null,
        hasAllOrdersAccess: false,
      },
      lastImport: null,
      lastCheck: null,
      timeZone: "UTC",
      progress: { status: "none", objectsDone: 0, objectsTotal: null, error: null, ordersLimitedTo60Days: true, secondsLeft: null },
      analysis: null,
      analysisStatus: { computedAt: null, recalculating: false, lastFailure: null, timeZone: "UTC" },
    });
    expect(JSON.stringify(data)).not.toContain(SHOP_B_INSTALLED_AT.toISOString());
  });

  it("the shop comes from the verified token, not from the shop parameter", async () => {
    // Token for shop B, URL claiming shop A: the data must be B's.
    const token = mintSessionToken({ shop: SHOP_B });
    const data = await callDashboard(
      new Request(`${APP_URL}/app?shop=${SHOP_A}`, { headers: { Authorization: `Bearer ${token}` } }),
    );
    expect(JSON.stringify(data)).toContain(SHOP_B_INSTALLED_AT.toISOString());
    expect(JSON.stringify(data)).not.toContain(SHOP_A_INSTALLED_AT.toISOString());
  });

  it("the layout gives the page the API key and the admin user's language with Polaris' strings in it", async () => {
    const token = mintSessionToken({ shop: SHOP_A });
    const data = (await layout.loader({
      request: new Request(dashboardUrl(SHOP_A, { id_token: token, locale: "nl-NL" }), {
        headers: { "Accept-Language": "da,en;q=0.5" },
      }),
      params: {},
      context: {},
    })) as Awaited<ReturnType<LayoutModule["loader"]>>;
    expect(data.apiKey).toBe(TEST_API_KEY);
    expect(data.locale).toBe("nl");
    // A Dutch string from @shopify/polaris/locales/nl.json, not the English one.
    expect(data.polarisTranslations.Polaris.Common.cancel).toBe("Annuleren");
  });
});
