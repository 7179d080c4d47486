/**
 * Webhooks are verified before anything is stored (401 on a bad HMAC, what App Store review
 * checks for the compliance topics), recorded once per (shop, webhook id) however often
 * Shopify delivers them, and kept byte for byte (64-bit ids survive).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { webhookHmac } from "./session-token";

type WebhookRoute = { action: (args: { request: Request; params: object; context: object }) => Promise<Response> };

const SHOP = "webhook-shop.myshopify.com";
// Larger than 2^53: JSON.parse would turn it into 820982911946154500000.
const ORDER_ID = "820982911946154508123";
const ORDER_BODY = `{"id":${ORDER_ID},"admin_graphql_api_id":"gid://shopify/Order/${ORDER_ID}","total_price":"19.99"}`;

interface Delivery {
  path: string;
  topic: string;
  body: string;
  webhookId: string;
  shop?: string;
  hmac?: string;
}

function webhookRequest({ path, topic, body, webhookId, shop = SHOP, hmac = webhookHmac(body) }: Delivery): Request {
  return new Request(`${APP_URL}${path}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": `event-${webhookId}`,
      "X-Shopify-Triggered-At": "2026-11-22T10:00:00.123Z",
    },
  });
}

describe.each(TEST_DIALECTS)("webhook intake on %s", (dialect) => {
  let app: AppUnderTest;
  let ordersCreate: WebhookRoute;
  let customersRedact: WebhookRoute;

  const deliver = (route: WebhookRoute, delivery: Delivery) =>
    responseOf(() => route.action({ request: webhookRequest(delivery), params: {}, context: {} })) as Promise<Response>;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    ordersCreate = await app.load<WebhookRoute>("~/routes/webhooks.orders.create");
    customersRedact = await app.load<WebhookRoute>("~/routes/webhooks.customers.redact");
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await app.db.prisma.webhookEvent.deleteMany();
  });

  it("a wrong HMAC gets 401 and stores nothing", async () => {
    const forged = webhookHmac(ORDER_BODY, "not-the-app-secret");
    const response = await deliver(ordersCreate, {
      path: "/webhooks/orders/create",
      topic: "orders/create",
      body: ORDER_BODY,
      webhookId: "wh-forged",
      hmac: forged,
    });
    expect(response.status).toBe(401);
    expect(await app.db.prisma.webhookEvent.count()).toBe(0);
  });

  it("a body changed after signing gets 401 and stores nothing", async () => {
    const response = await deliver(customersRedact, {
      path: "/webhooks/customers/redact",
      topic: "customers/redact",
      body: `{"shop_domain":"${SHOP}","customer":{"id":2}}`,
      webhookId: "wh-tampered",
      hmac: webhookHmac(`{"shop_domain":"${SHOP}","customer":{"id":1}}`),
    });
    expect(response.status).toBe(401);
    expect(await app.db.prisma.webhookEvent.count()).toBe(0);
  });

  it("a correctly signed delivery is answered 200 and recorded once, even when delivered twice", async () => {
    const delivery = { path: "/webhooks/orders/create", topic: "orders/create", body: ORDER_BODY, webhookId: "wh-1" };
    const first = await deliver(ordersCreate, delivery);
    const second = await deliver(ordersCreate, delivery);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);

    const rows = await app.db.prisma.webhookEvent.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      shop: SHOP,
      topic: "ORDERS_CREATE",
      webhookId: "wh-1",
      eventId: "event-wh-1",
      apiVersion: "2026-10",
      status: "pending",
      payload: ORDER_BODY,
    });
    expect(rows[0].triggeredAt?.toISOString()).toBe("2026-11-22T10:00:00.123Z");
    // The 64-bit id is stored exactly as Shopify sent it.
    expect(rows[0].payload).toContain(`"id":${ORDER_ID}`);
  });

  it("the same webhook id from two shops is two deliveries", async () => {
    const delivery = { path: "/webhooks/orders/create", topic: "orders/create", body: ORDER_BODY, webhookId: "wh-same" };
    await deliver(ordersCreate, delivery);
    await deliver(ordersCreate, { ...delivery, shop: "other-shop.myshopify.com" });
    const shops = (await app.db.prisma.webhookEvent.findMany({ orderBy: { shop: "asc" } })).map((row) => row.shop);
    expect(shops).toEqual(["other-shop.myshopify.com", SHOP]);
  });

  it("a delivery whose topic header does not match the route is refused and not stored", async () => {
    const response = await deliver(ordersCreate, {
      path: "/webhooks/orders/create",
      topic: "customers/redact",
      body: ORDER_BODY,
      webhookId: "wh-wrong-topic",
    });
    expect(response.status).toBe(400);
    expect(await app.db.prisma.webhookEvent.count()).toBe(0);
  });

  it("a redacted shop's late deliveries are acknowledged 200 and stored nowhere; an uninstalled shop's data deliveries too, but not its compliance ones", async () => {
    const redacted = "gone-shop.myshopify.com";
    const uninstalled = "left-shop.myshopify.com";
    await app.db.prisma.shop.create({ data: { shop: redacted, installState: "redacted" } });
    await app.db.prisma.shop.create({ data: { shop: uninstalled, installState: "uninstalled" } });
    const order = { path: "/webhooks/orders/create", topic: "orders/create", body: ORDER_BODY };
    const redactBody = `{"shop_domain":"${uninstalled}","customer":{"id":1,"email":"one@left.example"}}`;
    const answers = [
      await deliver(ordersCreate, { ...order, webhookId: "wh-late-1", shop: redacted }),
      await deliver(ordersCreate, { ...order, webhookId: "wh-late-2", shop: uninstalled }),
      await deliver(customersRedact, { path: "/webhooks/customers/redact", topic: "customers/redact", body: redactBody, webhookId: "wh-late-3", shop: uninstalled }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const stored = await app.db.prisma.webhookEvent.findMany({ select: { shop: true, topic: true } });
    expect(stored).toEqual([{ shop: uninstalled, topic: "CUSTOMERS_REDACT" }]);
    const { droppedDeliveryCounts } = await app.load<typeof import("~/sync/webhooks/shop-lifecycle")>("~/sync/webhooks/shop-lifecycle");
    expect(droppedDeliveryCounts()).toMatchObject({ "intake:redacted:ORDERS_CREATE": 1, "intake:uninstalled:ORDERS_CREATE": 1 });
  });

  it("a GET is refused with 405", async () => {
    const response = (await responseOf(() =>
      ordersCreate.action({ request: new Request(`${APP_URL}/webhooks/orders/create`), params: {}, context: {} }),
    )) as Response;
    expect(response.status).toBe(405);
  });
});
