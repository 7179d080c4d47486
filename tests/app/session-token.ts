/**
 * Shopify session tokens (the `id_token` App Bridge sends) minted for tests with node:crypto:
 * an HS256 JWT signed with the app's client secret, with the claims Shopify documents
 * (shopify.dev/docs/apps/build/authentication-authorization/session-tokens).
 */
import crypto from "node:crypto";

export const TEST_API_KEY = "test-api-key-0123456789";
export const TEST_API_SECRET = "test-api-secret-abcdef0123456789";

export interface SessionTokenOptions {
  shop: string;
  apiKey?: string;
  secret?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  userId?: string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function mintSessionToken({
  shop,
  apiKey = TEST_API_KEY,
  secret = TEST_API_SECRET,
  expiresIn = 300,
  userId = "42",
}: SessionTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "HS256", typ: "JWT" };
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: apiKey,
    sub: userId,
    exp: now + expiresIn,
    nbf: now - 5,
    iat: now - 5,
    jti: crypto.randomUUID(),
    sid: crypto.randomUUID(),
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = crypto.createHmac("sha256", secret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

/** The `host` parameter the admin passes: base64 of the shop's admin URL without scheme. */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
}

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body, keyed with the client secret. */
export function webhookHmac(body: string, secret = TEST_API_SECRET): string {
  return crypto.createHmac("sha256", secret).update(body, "utf8").digest("base64");
}
