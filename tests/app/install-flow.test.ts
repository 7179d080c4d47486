/**
 * The first visit of a shop, through the real token-exchange path: a valid session token and
 * no stored session make shopify-app-remix exchange the token for an expiring offline access
 * token (with its refresh token), store it, and run afterAuth, which records the install.
 * Shopify's token endpoint is the only thing replaced: a fetch stand-in answers it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { hostParam, mintSessionToken, TEST_API_KEY, TEST_API_SECRET } from "./session-token";

type DashboardModule = typeof import("~/routes/app._index");

// shopify-api keeps the `fetch` it finds when first imported, so the stand-in goes in before
// any import; it forwards everything but Shopify's token endpoint to the real fetch.
const tokenEndpoint = vi.hoisted(() => {
  const state = { calls: [] as { url: string; body: Record<string, string> }[] };
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!/^https:\/\/[^/]+\.myshopify\.com\/admin\/oauth\/access_token$/.test(url)) return realFetch(input, init);
    state.calls.push({ url, body: JSON.parse(String(init?.body)) });
    return new Response(
      JSON.stringify({
        access_token: "shpat_exchanged",
        scope: "read_customers,write_customers,read_orders,read_all_orders,read_products",
        expires_in: 3600,
        refresh_token: "shprt_exchanged",
        refresh_token_expires_in: 7_776_000,
      }),
      { status: 200, headers: { "Content-Type": "application/json" } },
    );
  };
  return state;
});

describe.each(TEST_DIALECTS)("first visit of a shop on %s", (dialect) => {
  const shop = `first-visit-${dialect}.myshopify.com`;
  let app: AppUnderTest;
  let dashboard: DashboardModule;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    dashboard = await app.load<DashboardModule>("~/routes/app._index");
    tokenEndpoint.calls.length = 0;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const visit = (token: string) =>
    dashboard.loader({
      request: new Request(
        `${APP_URL}/app?${new URLSearchParams({ embedded: "1", shop, host: hostParam(shop), id_token: token })}`,
      ),
      params: {},
      context: {},
    });

  it("exchanges the token for an expiring offline token, stores its refresh token and records the install", async () => {
    const token = mintSessionToken({ shop });
    const before = Date.now();
    const data = await visit(token);

    expect(tokenEndpoint.calls).toHaveLength(1);
    expect(tokenEndpoint.calls[0].url).toBe(`https://${shop}/admin/oauth/access_token`);
    expect(tokenEndpoint.calls[0].body).toMatchObject({
      client_id: TEST_API_KEY,
      client_secret: TEST_API_SECRET,
      subject_token: token,
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    });

    const session = await app.db.prisma.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
    expect(session.accessToken).toBe("shpat_exchanged");
    expect(session.refreshToken).toBe("shprt_exchanged");
    expect(session.expires!.getTime()).toBeGreaterThanOrEqual(before + 3600_000 - 5_000);
    expect(session.expires!.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000 + 5_000);
    expect(session.refreshTokenExpires).not.toBeNull();

    const shopRow = await app.db.prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect(shopRow.installState).toBe("installed");
    expect(shopRow.hasAllOrdersAccess).toBe(true);
    // afterAuth also started the first import (exactly one backfill run), which the page shows.
    const runs = await app.db.prisma.syncRun.findMany({ where: { shop, kind: "backfill" } });
    expect(runs).toHaveLength(1);
    expect(data).toMatchObject({ install: { state: "installed", hasAllOrdersAccess: true }, lastImport: { status: expect.any(String) }, lastCheck: null });
  });

  it("a later visit uses the stored token: no second exchange, one Shop row, same install date", async () => {
    const installedAt = (await app.db.prisma.shop.findUniqueOrThrow({ where: { shop } })).installedAt;
    await visit(mintSessionToken({ shop }));
    expect(tokenEndpoint.calls).toHaveLength(1);
    expect(await app.db.prisma.shop.count({ where: { shop } })).toBe(1);
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { shop } })).installedAt).toEqual(installedAt);
    // afterAuth runs again on a token mint, but never starts a second import
    await app.db.prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() - 1000) } });
    await visit(mintSessionToken({ shop }));
    expect(await app.db.prisma.syncRun.count({ where: { shop, kind: "backfill" } })).toBe(1);
  });
});
