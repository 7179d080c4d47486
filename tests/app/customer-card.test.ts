/**
 * The customer card's endpoint (GET /api/customer-card, called by the admin extension with its
 * session token) answers with the profile of a customer of the token's shop, and with nothing
 * for a missing, expired or forged token or for another shop's customer. Its honest states
 * (not imported, not enough data, no orders, unknown) each come from the stored rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerCard } from "~/customers/customer-card-contract";
import { ensureBuiltinSegments } from "~/segments/refresh-memberships.server";
import { seedCurrentAnalysis, type SeedProfile } from "../db/seed-analysis";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";
import { churnRiskBand } from "~/analytics/scores/customer-score-rows";

type CardRoute = typeof import("~/routes/api.customer-card");

const SHOP = "card-shop.myshopify.com";
const OTHER_SHOP = "card-other.myshopify.com";
const SMALL_SHOP = "card-small.myshopify.com";
const NEW_SHOP = "card-new.myshopify.com";
const REGENERATED_SHOP = "card-regenerated.myshopify.com";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

const SCORED = "gid://shopify/Customer/1001";
const NO_ORDERS = "gid://shopify/Customer/1002";
const OTHER_SHOPS_CUSTOMER = "gid://shopify/Customer/2001";
const SMALL_SHOPS_CUSTOMER = "gid://shopify/Customer/3001";
// Distinctive stored values: if one shows up in another shop's answer, data leaked.
const SCORED_CLV = 1234.56;
const OTHER_CLV = 9876.54;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** A profile of a customer who ordered every 20 days and last ordered 45 days ago: lost (45 > 2 × 20). */
function profile(customerShopifyId: string, predicted: { pAlive: number; clv: number } | null): SeedProfile {
  return {
    customerShopifyId,
    orderCount: 4,
    repeatPurchases: 3,
    totalSpent: "420.00",
    averageOrderValue: "105.00",
    firstOrderAt: day("2026-01-01"),
    lastOrderAt: day("2026-03-02"),
    daysSinceFirstOrder: 105,
    daysSinceLastOrder: 45,
    usualGapDays: 20,
    lifecycleStage: "lost",
    customerGroup: "frequent",
    customerType: "at-risk",
    spendTier: "high",
    recencyScore: 2,
    frequencyScore: 4,
    monetaryScore: 5,
    rfmGroup: "cant-lose",
    pAlive: predicted?.pAlive ?? null,
    churnRisk: predicted ? churnRiskBand(predicted.pAlive) : null,
    expectedOrders: predicted ? 1.7 : null,
    predictedClv: predicted?.clv ?? null,
    predictedClvLow: predicted ? predicted.clv * 0.5 : null,
    predictedClvHigh: predicted ? predicted.clv * 1.5 : null,
    nextOrderAt: predicted ? day("2026-05-01") : null,
  };
}

/** The reason the core gives for that profile under the default settings (active ≤ 1.5 × gap, lost > 2 × gap). */
const LOST_REASON = { kind: "rhythm", rhythmOf: "customer", usualGapDays: 20, daysSinceLastOrder: 45, daysPastRhythm: 25, slippingAfterDays: 30, lostAfterDays: 40 };

/** Makes the stored analysis say why it has no predictions (the recompute writes the core's reasons). */
async function setReadiness(prisma: AppUnderTest["db"]["prisma"], snapshotId: number, details: unknown[]) {
  const row = await prisma.analysisSnapshot.findUniqueOrThrow({ where: { id: snapshotId } });
  const document = JSON.parse(row.data);
  document.analysis.models = { status: "insufficient-data", reason: "Not enough data for predictions.", details };
  await prisma.analysisSnapshot.update({ where: { id: snapshotId }, data: { data: JSON.stringify(document) } });
}

describe.each(TEST_DIALECTS)("customer card endpoint on %s", (dialect) => {
  let app: AppUnderTest;
  let route: CardRoute;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<CardRoute>("~/routes/api.customer-card");
    const { prisma } = app.db;
    for (const shop of [SHOP, OTHER_SHOP, SMALL_SHOP, NEW_SHOP, REGENERATED_SHOP]) {
      await prisma.shop.create({ data: { shop, currencyCode: shop === OTHER_SHOP ? "DKK" : "EUR" } });
      await app.storeOfflineSession(shop);
    }
    // Rescored by the per-order refresh after the analysis: the card says when.
    await seedCurrentAnalysis(prisma, SHOP, [{ ...profile(SCORED, { pAlive: 0.4213, clv: SCORED_CLV }), refreshedAt: new Date("2026-04-16T09:12:30Z") }], { asOf: "2026-04-16" });
    await prisma.customer.create({ data: { shop: SHOP, shopifyId: NO_ORDERS } });
    await seedCurrentAnalysis(prisma, OTHER_SHOP, [profile(OTHER_SHOPS_CUSTOMER, { pAlive: 0.9, clv: OTHER_CLV })], { asOf: "2026-04-10" });
    const small = await seedCurrentAnalysis(prisma, SMALL_SHOP, [profile(SMALL_SHOPS_CUSTOMER, null)], { asOf: "2026-04-12" });
    await setReadiness(prisma, small, [
      { kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 },
      { kind: "history-too-short", historyDays: 40, required: 90 },
    ]);
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
  const cardOf = async (shop: string, customerId: string, locale?: string, acceptLanguage?: string) => {
    const url = locale ? `${cardUrl(customerId)}&locale=${locale}` : cardUrl(customerId);
    const request = extensionRequest(url, mintSessionToken({ shop }));
    if (acceptLanguage) request.headers.set("Accept-Language", acceptLanguage);
    const response = await call(request);
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
      profileUpdatedAt: "2026-04-16T09:12:30.000Z",
      currencyCode: "EUR",
      lifecycleStage: "lost",
      reason: LOST_REASON,
      churnRisk: "medium",
      lateButLikelyActive: false,
      pAlive: 0.4213,
      predictedClv: { value: SCORED_CLV, low: SCORED_CLV * 0.5, high: SCORED_CLV * 1.5 },
      nextOrderAt: "2026-05-01",
      rfm: { recency: 2, frequency: 4, monetary: 5, group: "cant-lose" },
      customerGroup: "frequent",
      notEnoughData: [],
      segments: [],
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

  it("a lost customer at low churn risk is marked so, for the card's line on why both hold", async () => {
    // Every 20 days, last order 45 days ago (lost), yet P(alive) 0.9 (low churn risk).
    const { status, body } = await cardOf(OTHER_SHOP, OTHER_SHOPS_CUSTOMER);
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: "profile", lifecycleStage: "lost", churnRisk: "low", lateButLikelyActive: true });
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
    // Not rescored since the analysis: updated when the analysis was stored.
    const analysis = await app.db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SMALL_SHOP } });
    expect(body).toEqual({
      state: "not-enough-data",
      customerId: SMALL_SHOPS_CUSTOMER,
      analysedAt: "2026-04-12",
      profileUpdatedAt: analysis.completedAt!.toISOString(),
      currencyCode: "EUR",
      lifecycleStage: "lost",
      reason: LOST_REASON,
      churnRisk: null,
      lateButLikelyActive: false,
      pAlive: null,
      predictedClv: null,
      nextOrderAt: null,
      rfm: { recency: 2, frequency: 4, monetary: 5, group: "cant-lose" },
      customerGroup: "frequent",
      notEnoughData: [
        { kind: "too-few-repeat-customers", repeatCustomers: 12, required: 50 },
        { kind: "history-too-short", historyDays: 40, required: 90 },
      ],
      segments: [],
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

  it("reads the shop's current generation only: a profile from an older analysis is not shown", async () => {
    await seedCurrentAnalysis(app.db.prisma, REGENERATED_SHOP, [profile("gid://shopify/Customer/4001", { pAlive: 0.5, clv: 10 })], { asOf: "2026-04-01" });
    await seedCurrentAnalysis(app.db.prisma, REGENERATED_SHOP, [profile("gid://shopify/Customer/4002", { pAlive: 0.5, clv: 10 })], { asOf: "2026-04-02" });
    const { status, body } = await cardOf(REGENERATED_SHOP, "gid://shopify/Customer/4001");
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: "no-orders", analysedAt: "2026-04-02", pAlive: null, rfm: null });
  });

  it("a redacted customer is unknown to the card", async () => {
    const redacted = "gid://shopify/Customer/1003";
    await app.db.prisma.customer.create({ data: { shop: SHOP, shopifyId: redacted, redactedAt: new Date() } });
    const { status, body } = await cardOf(SHOP, redacted);
    expect(status).toBe(404);
    expect(body.state).toBe("unknown-customer");
  });

  it("lists the merchant's segments the customer is in: built-ins in the admin's language, their own as written, hold-outs marked", async () => {
    const { prisma } = app.db;
    await ensureBuiltinSegments(prisma, SHOP);
    await ensureBuiltinSegments(prisma, OTHER_SHOP);
    const builtin = (shop: string, key: string) => prisma.segment.findFirstOrThrow({ where: { shop, builtinKey: key } });
    const lost = await builtin(SHOP, "lifecycle:lost");
    const cantLose = await builtin(SHOP, "rfm:cant-lose");
    const summer = await prisma.segment.create({ data: { shop: SHOP, handle: "summer-sale", name: "Zomer sale 2026" } });
    const leaving = await prisma.segment.create({ data: { shop: SHOP, handle: "old", name: "Being deleted", deletingAt: new Date() } });
    const otherShops = await builtin(OTHER_SHOP, "lifecycle:lost");
    const member = (shop: string, segmentId: number, customerShopifyId: string, isControl = false) =>
      prisma.segmentMembership.create({ data: { shop, segmentId, customerShopifyId, isControl } });
    await member(SHOP, lost.id, SCORED);
    await member(SHOP, cantLose.id, SCORED);
    await member(SHOP, summer.id, SCORED, true);
    await member(SHOP, leaving.id, SCORED);
    // The same customer id in another shop's segment is another customer.
    await member(OTHER_SHOP, otherShops.id, SCORED);

    const expected = {
      en: [
        { id: lost.id, name: "Lost customers", controlGroup: false },
        { id: cantLose.id, name: "RFM group: Can't lose them", controlGroup: false },
        { id: summer.id, name: "Zomer sale 2026", controlGroup: true },
      ],
      nl: [
        { id: cantLose.id, name: "RFM-groep: Niet kwijtraken", controlGroup: false },
        { id: lost.id, name: "Verloren klanten", controlGroup: false },
        { id: summer.id, name: "Zomer sale 2026", controlGroup: true },
      ],
      da: [
        { id: cantLose.id, name: "RFM-gruppe: Må ikke mistes", controlGroup: false },
        { id: lost.id, name: "Tabte kunder", controlGroup: false },
        { id: summer.id, name: "Zomer sale 2026", controlGroup: true },
      ],
    };
    for (const [locale, segments] of Object.entries(expected)) {
      const { status, body } = await cardOf(SHOP, SCORED, locale);
      expect([locale, status, body.state, body.segments]).toEqual([locale, 200, "profile", segments]);
    }
    // Without the parameter the admin's browser language decides; a language the app lacks is English.
    expect((await cardOf(SHOP, SCORED, undefined, "da-DK,da;q=0.9")).body.segments).toEqual(expected.da);
    expect((await cardOf(SHOP, SCORED, "de")).body.segments).toEqual(expected.en);

    // Honest when there are none: a known customer in no segment, and nothing for one the app does not know.
    expect((await cardOf(SHOP, NO_ORDERS, "nl")).body).toMatchObject({ state: "no-orders", segments: [] });
    expect((await cardOf(SHOP, "gid://shopify/Customer/999999", "nl")).body).toMatchObject({ state: "unknown-customer", segments: [] });
  });
});
