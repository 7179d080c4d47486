/**
 * The customer card's endpoint (GET /api/customer-card, called by the admin extension with its
 * session token) answers with the profile of a customer of the token's shop, and with nothing
 * for a missing, expired or forged token or for another shop's customer. Its honest states
 * (not imported, not enough data, no orders, unknown) each come from the stored rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerCard } from "~/customers/customer-card-contract";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type CardRoute = typeof import("~/routes/api.customer-card");

const SHOP = "card-shop.myshopify.com";
const OTHER_SHOP = "card-other.myshopify.com";
const SMALL_SHOP = "card-small.myshopify.com";
const NEW_SHOP = "card-new.myshopify.com";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

const SCORED = "gid://shopify/Customer/1001";
const NO_ORDERS = "gid://shopify/Customer/1002";
const OTHER_SHOPS_CUSTOMER = "gid://shopify/Customer/2001";
const SMALL_SHOPS_CUSTOMER = "gid://shopify/Customer/3001";
// Distinctive stored values: if one shows up in another shop's answer, data leaked.
const SCORED_CLV = 1234.56;
const OTHER_CLV = 9876.54;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function scoreRow(shop: string, customerShopifyId: string, snapshotId: number, predicted: { pAlive: number; clv: number } | null) {
  return {
    shop,
    customerShopifyId,
    snapshotId,
    orders: 4,
    x: 3,
    tx: 60,
    T: 105,
    totalSpent: "420.00",
    aov: "105.00",
    // Three repeat purchases over 60 days (a 20-day rhythm), the last one 45 days ago: overdue (45 > 1.5 × 20).
    firstOrderAt: day("2026-01-01"),
    lastOrderAt: day("2026-03-02"),
    daysSinceLastOrder: 45,
    pAlive: predicted?.pAlive ?? null,
    churnRisk: predicted ? "medium" : null,
    expectedPurchases: predicted ? 1.7 : null,
    expectedSpend: predicted ? 110 : null,
    clv: predicted?.clv ?? null,
    clvLow: predicted ? predicted.clv * 0.5 : null,
    clvHigh: predicted ? predicted.clv * 1.5 : null,
    nextOrderAt: predicted ? day("2026-05-01") : null,
    lifecycle: "slipping-away",
    customerGroup: "frequent",
    r: 2,
    f: 4,
    m: 5,
    rfmGroup: "cant-lose",
  };
}

describe.each(TEST_DIALECTS)("customer card endpoint on %s", (dialect) => {
  let app: AppUnderTest;
  let route: CardRoute;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<CardRoute>("~/routes/api.customer-card");
    const { prisma } = app.db;
    for (const shop of [SHOP, OTHER_SHOP, SMALL_SHOP, NEW_SHOP]) {
      await prisma.shop.create({ data: { shop, currencyCode: shop === OTHER_SHOP ? "DKK" : "EUR" } });
      await app.storeOfflineSession(shop);
    }
    const snapshot = await prisma.analysisSnapshot.create({
      data: { shop: SHOP, asOf: day("2026-04-16"), customers: 2, orders: 4, data: JSON.stringify({ models: { status: "fitted" } }) },
    });
    await prisma.customer.createMany({ data: [{ shop: SHOP, shopifyId: SCORED }, { shop: SHOP, shopifyId: NO_ORDERS }] });
    await prisma.customerScore.create({ data: scoreRow(SHOP, SCORED, snapshot.id, { pAlive: 0.4213, clv: SCORED_CLV }) });

    const other = await prisma.analysisSnapshot.create({
      data: { shop: OTHER_SHOP, asOf: day("2026-04-10"), customers: 1, orders: 4, data: JSON.stringify({ models: { status: "fitted" } }) },
    });
    await prisma.customer.create({ data: { shop: OTHER_SHOP, shopifyId: OTHER_SHOPS_CUSTOMER } });
    await prisma.customerScore.create({ data: scoreRow(OTHER_SHOP, OTHER_SHOPS_CUSTOMER, other.id, { pAlive: 0.9, clv: OTHER_CLV }) });

    const readiness = [
      { kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 },
      { kind: "history-too-short", historyDays: 40, required: 90 },
    ];
    const small = await prisma.analysisSnapshot.create({
      data: { shop: SMALL_SHOP, asOf: day("2026-04-12"), customers: 1, orders: 4, data: JSON.stringify({ models: { status: "insufficient-data", details: readiness } }) },
    });
    await prisma.customer.create({ data: { shop: SMALL_SHOP, shopifyId: SMALL_SHOPS_CUSTOMER } });
    await prisma.customerScore.create({ data: scoreRow(SMALL_SHOP, SMALL_SHOPS_CUSTOMER, small.id, null) });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const cardUrl = (customerId: string) => `${APP_URL}/api/customer-card?${new URLSearchParams({ customerId })}`;
  /** A request as the extension's fetch sends it: cross-origin, with Shopify's ID token. */
  const extensionRequest = (url: string, token: string | null, method = "GET") =>
    new Request(url, {
      method,
      headers: { Origin: EXTENSION_ORIGIN, ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    });
  const call = async (request: Request) => (await responseOf(() => route.loader({ request, params: {}, context: {} }))) as Response;
  const cardOf = async (shop: string, customerId: string) => {
    const response = await call(extensionRequest(cardUrl(customerId), mintSessionToken({ shop })));
    return { status: response.status, headers: response.headers, body: (await response.json()) as CustomerCard };
  };

  it("returns the profile of a customer of the token's shop, with CORS headers for the extension's origin", async () => {
    const { status, headers, body } = await cardOf(SHOP, SCORED);
    expect(status).toBe(200);
    expect(headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    expect(body).toEqual({
      state: "profile",
      customerId: SCORED,
      analysedAt: "2026-04-16",
      currencyCode: "EUR",
      lifecycleStage: "slipping-away",
      reason: { kind: "overdue", typicalGapDays: 20, daysSinceLast: 45 },
      churnRisk: "medium",
      pAlive: 0.4213,
      predictedClv: { value: SCORED_CLV, low: SCORED_CLV * 0.5, high: SCORED_CLV * 1.5 },
      nextOrderAt: "2026-05-01",
      rfm: { recency: 2, frequency: 4, monetary: 5, group: "cant-lose" },
      customerGroup: "frequent",
      notEnoughData: [],
    });
  });

  it("answers the browser's CORS preflight without a token", async () => {
    const response = await call(extensionRequest(cardUrl(SCORED), null, "OPTIONS"));
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });

  it("a token of another shop gets a 404 for this shop's customer, and none of its data", async () => {
    const response = await call(extensionRequest(cardUrl(SCORED), mintSessionToken({ shop: OTHER_SHOP })));
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ state: "unknown-customer", customerId: SCORED, lifecycleStage: null, predictedClv: null, rfm: null });
    expect(text).not.toContain(String(SCORED_CLV));
    // And the other way round: this shop's token never reads the other shop's customer.
    const reverse = await call(extensionRequest(cardUrl(OTHER_SHOPS_CUSTOMER), mintSessionToken({ shop: SHOP })));
    expect(reverse.status).toBe(404);
    expect(await reverse.text()).not.toContain(String(OTHER_CLV));
  });

  it("the shop comes from the token, not from a shop parameter", async () => {
    const response = await call(extensionRequest(`${cardUrl(SCORED)}&shop=${SHOP}`, mintSessionToken({ shop: OTHER_SHOP })));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(String(SCORED_CLV));
  });

  it("a request without a token gets 401 and no data", async () => {
    const response = await call(extensionRequest(cardUrl(SCORED), null));
    expect(response.status).toBe(401);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await response.text()).not.toContain(String(SCORED_CLV));
  });

  it("an expired token, a forged one and one for another app get 401 and no data", async () => {
    for (const token of [
      mintSessionToken({ shop: SHOP, expiresIn: -120 }),
      mintSessionToken({ shop: SHOP, secret: "not-the-app-secret" }),
      mintSessionToken({ shop: SHOP, apiKey: "some-other-app" }),
    ]) {
      const response = await call(extensionRequest(cardUrl(SCORED), token));
      expect(response.status).toBe(401);
      // The extension's fetch must be able to read the refusal (and retry with a fresh token).
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await response.text()).not.toContain(String(SCORED_CLV));
    }
  });

  it("a missing or malformed customerId is a 400 that says what is expected", async () => {
    const token = mintSessionToken({ shop: SHOP });
    for (const url of [`${APP_URL}/api/customer-card`, cardUrl("1001"), cardUrl("gid://shopify/Order/1001"), cardUrl("gid://shopify/Customer/1001 OR 1=1")]) {
      const response = await call(extensionRequest(url, token));
      expect([url, response.status]).toEqual([url, 400]);
      const body = await response.json();
      expect(body.error).toBe("invalid-customer-id");
      expect(body.message).toMatch(/gid:\/\/shopify\/Customer\//);
    }
  });

  it("a shop without an analysis says so: not imported yet", async () => {
    const { status, body } = await cardOf(NEW_SHOP, "gid://shopify/Customer/5");
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: "not-imported", analysedAt: null, lifecycleStage: null, pAlive: null, rfm: null });
  });

  it("a shop whose history is too short gives the descriptive scores and why there are no predictions", async () => {
    const { status, body } = await cardOf(SMALL_SHOP, SMALL_SHOPS_CUSTOMER);
    expect(status).toBe(200);
    expect(body).toEqual({
      state: "not-enough-data",
      customerId: SMALL_SHOPS_CUSTOMER,
      analysedAt: "2026-04-12",
      currencyCode: "EUR",
      lifecycleStage: "slipping-away",
      reason: null,
      churnRisk: null,
      pAlive: null,
      predictedClv: null,
      nextOrderAt: null,
      rfm: { recency: 2, frequency: 4, monetary: 5, group: "cant-lose" },
      customerGroup: "frequent",
      notEnoughData: [
        { kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 },
        { kind: "history-too-short", historyDays: 40, required: 90 },
      ],
    });
  });

  it("a known customer without orders in the analysis, and a customer the app does not know, are told apart", async () => {
    const known = await cardOf(SHOP, NO_ORDERS);
    expect(known.status).toBe(200);
    expect(known.body).toMatchObject({ state: "no-orders", analysedAt: "2026-04-16", lifecycleStage: null, rfm: null });
    const unknown = await cardOf(SHOP, "gid://shopify/Customer/999999");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ state: "unknown-customer", analysedAt: "2026-04-16", lifecycleStage: null });
  });

  it("a redacted customer is unknown to the card", async () => {
    const redacted = "gid://shopify/Customer/1003";
    await app.db.prisma.customer.create({ data: { shop: SHOP, shopifyId: redacted, redactedAt: new Date() } });
    const { status, body } = await cardOf(SHOP, redacted);
    expect(status).toBe(404);
    expect(body.state).toBe("unknown-customer");
  });
});
