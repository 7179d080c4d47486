/**
 * The app verifies webhooks itself (decision 008) and must say exactly what
 * `@shopify/shopify-api`'s own `webhooks.validate` says about the same delivery: accepted with
 * the same fields, or refused for the same reason (401 for a wrong HMAC, 400 for a missing
 * HMAC or header).
 */
import "@shopify/shopify-api/adapters/web-api";
import crypto from "node:crypto";
import { ApiVersion, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "./verify-webhook.server";

const SECRET = "verify-test-secret";
const library = shopifyApi({
  apiKey: "verify-test-key",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "app.example.com",
  isEmbeddedApp: true,
  logger: { level: 0, log: async () => {} },
});

const BODY = '{"id":820982911946154508123,"note":"Grüße"}';
const sign = (body: string, secret = SECRET) => crypto.createHmac("sha256", secret).update(body, "utf8").digest("base64");
const HEADERS: Record<string, string> = {
  "Content-Type": "application/json",
  "X-Shopify-Hmac-Sha256": sign(BODY),
  "X-Shopify-Topic": "orders/create",
  "X-Shopify-Shop-Domain": "verify-shop.myshopify.com",
  "X-Shopify-API-Version": "2026-10",
  "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
  "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
  "X-Shopify-Triggered-At": "2026-11-22T10:00:00.123Z",
};

function delivery(change: { body?: string; headers?: Record<string, string | null> } = {}): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries({ ...HEADERS, ...change.headers })) if (value !== null) headers.set(name, value);
  return new Request("https://app.example.com/webhooks/orders/create", { method: "POST", headers, body: change.body ?? BODY });
}

/** What the app answers: the verified fields, or the status it refuses with. */
async function ours(request: Request) {
  try {
    return await verifyWebhook(request, SECRET);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

async function libraryVerdict(request: Request) {
  const check = await library.webhooks.validate({ rawBody: await request.text(), rawRequest: request });
  if (check.valid) return check;
  // authenticate.webhook's mapping of the library's reasons to statuses
  return check.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400;
}

const cases: [string, { body?: string; headers?: Record<string, string | null> }][] = [
  ["a correctly signed delivery", {}],
  ["an HMAC made with another secret", { headers: { "X-Shopify-Hmac-Sha256": sign(BODY, "someone-else") } }],
  ["a body changed after signing", { body: BODY.replace("123", "124") }],
  ["an HMAC that is not base64 of 32 bytes", { headers: { "X-Shopify-Hmac-Sha256": "not-a-signature" } }],
  ["no HMAC header", { headers: { "X-Shopify-Hmac-Sha256": null } }],
  ["no topic header", { headers: { "X-Shopify-Topic": null } }],
  ["no shop header", { headers: { "X-Shopify-Shop-Domain": null } }],
  ["no API version header", { headers: { "X-Shopify-API-Version": null } }],
  ["no webhook id header", { headers: { "X-Shopify-Webhook-Id": null } }],
  ["no event id or triggered-at (optional)", { headers: { "X-Shopify-Event-Id": null, "X-Shopify-Triggered-At": null } }],
  ["a dotted topic", { headers: { "X-Shopify-Topic": "customer.tags_added" } }],
];

describe("verifyWebhook agrees with @shopify/shopify-api's webhooks.validate", () => {
  it.each(cases)("%s", async (_name, change) => {
    const expected = await libraryVerdict(delivery(change));
    const actual = await ours(delivery(change));
    if (typeof expected === "number") {
      expect(actual).toBe(expected);
      return;
    }
    expect(actual).toEqual({
      shop: expected.domain,
      topic: expected.topic,
      webhookId: expected.webhookId,
      apiVersion: expected.apiVersion,
      eventId: "eventId" in expected ? expected.eventId : undefined,
      triggeredAt: expected.triggeredAt,
      rawBody: change.body ?? BODY,
    });
  });
});

describe("verifyWebhook refuses what the library would pass on", () => {
  it("a non-POST with 405", async () => {
    const status = await ours(new Request("https://app.example.com/webhooks/orders/create", { headers: HEADERS }));
    expect(status).toBe(405);
  });

  it("a signed delivery whose shop is not a myshopify.com domain with 400", async () => {
    expect(await ours(delivery({ headers: { "X-Shopify-Shop-Domain": "evil.example.com" } }))).toBe(400);
  });

  it("a signed body that is not UTF-8 with 400 (it could not be stored byte for byte as text)", async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    const request = new Request("https://app.example.com/webhooks/orders/create", {
      method: "POST",
      headers: { ...HEADERS, "X-Shopify-Hmac-Sha256": crypto.createHmac("sha256", SECRET).update(bytes).digest("base64") },
      body: bytes,
    });
    expect(await ours(request)).toBe(400);
  });
});
