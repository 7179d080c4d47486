/**
 * Embedded-app authentication stand-ins: App Bridge session tokens (HS256 JWTs signed with the
 * app secret) and the token endpoint that answers token exchange and refresh-token grants with
 * expiring offline tokens (60-minute access tokens, rotating refresh tokens), in the shapes
 * @shopify/shopify-api's `auth.tokenExchange` / `auth.refreshToken` send and parse
 * (lib/auth/oauth/token-exchange.mjs, refresh-token.mjs, create-session.mjs).
 * @see https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens
 * @see https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { SimClock } from "./clock.ts";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
export const ACCESS_TOKEN_TTL_S = 3600;
/** Refresh-token lifetime is not in our notes; 30 days is the simulator's assumption. */
export const REFRESH_TOKEN_TTL_S = 30 * 86_400;
export const ONLINE_TOKEN_TTL_S = 86_399;

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

/**
 * Mints an App Bridge session token. Claims use wall-clock time (`Date.now()`), because the
 * app verifies them with jose against the real clock, not the simulator's.
 */
export function mintSessionToken(options: { shop: string; apiKey: string; apiSecret: string; userId?: string; ttlSeconds?: number; nowSeconds?: number }): string {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    exp: now + (options.ttlSeconds ?? 60),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: randomBytes(16).toString("hex"),
  };
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", options.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** Verifies an HS256 session token; returns its claims or the reason it is rejected. */
export function verifySessionToken(token: string, apiKey: string, apiSecret: string, leewaySeconds = 10): SessionTokenClaims | { error: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { error: "malformed token" };
  const expected = createHmac("sha256", apiSecret).update(`${parts[0]}.${parts[1]}`).digest();
  const actual = Buffer.from(parts[2], "base64url");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { error: "bad signature" };
  let claims: SessionTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as SessionTokenClaims;
  } catch {
    return { error: "malformed payload" };
  }
  const now = Date.now() / 1000;
  if (claims.exp + leewaySeconds < now) return { error: "token expired" };
  if (claims.nbf - leewaySeconds > now) return { error: "token not yet valid" };
  if (claims.aud !== apiKey) return { error: "wrong audience" };
  return claims;
}

export interface IssuedAccessToken {
  token: string;
  shop: string;
  online: boolean;
  scope: string;
  /** Simulated epoch ms; null = never expires. */
  expiresAt: number | null;
}

interface RefreshRecord {
  token: string;
  shop: string;
  expiresAt: number;
  /** The token this one replaced; it stays valid until this one is used (Shopify's grace, Aug 2026). */
  previous: string | null;
}

export interface TokenEndpointResult {
  status: number;
  body: Record<string, unknown>;
}

/** Issues and checks access and refresh tokens for all shops of one simulator. */
export class TokenAuthority {
  private readonly accessTokens = new Map<string, IssuedAccessToken>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(private readonly options: { apiKey: string; apiSecret: string; scopes: string; clock: SimClock }) {}

  /** A non-expiring offline token (what a custom app or a pre-installed shop has). */
  issueStatic(shop: string): string {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    this.accessTokens.set(token, { token, shop, online: false, scope: this.options.scopes, expiresAt: null });
    return token;
  }

  /** Revokes every access and refresh token of a shop (app uninstalled). */
  revokeShop(shop: string) {
    for (const [token, issued] of this.accessTokens) if (issued.shop === shop) this.accessTokens.delete(token);
    for (const [token, record] of this.refreshTokens) if (record.shop === shop) this.refreshTokens.delete(token);
  }

  /** The shop a token grants access to, or null if unknown or expired. */
  check(token: string | undefined, shop: string): IssuedAccessToken | null {
    if (!token) return null;
    const issued = this.accessTokens.get(token);
    if (!issued || issued.shop !== shop) return null;
    if (issued.expiresAt !== null && this.options.clock.now() >= issued.expiresAt) return null;
    return issued;
  }

  private issueAccess(shop: string, online: boolean, ttlSeconds: number | null): IssuedAccessToken {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    const issued = { token, shop, online, scope: this.options.scopes, expiresAt: ttlSeconds === null ? null : this.options.clock.now() + ttlSeconds * 1000 };
    this.accessTokens.set(token, issued);
    return issued;
  }

  private issueRefresh(shop: string, previous: string | null): RefreshRecord {
    const record = { token: `shprt_${randomBytes(16).toString("hex")}`, shop, expiresAt: this.options.clock.now() + REFRESH_TOKEN_TTL_S * 1000, previous };
    this.refreshTokens.set(record.token, record);
    return record;
  }

  private expiringOfflineBody(shop: string, previousRefresh: string | null) {
    const access = this.issueAccess(shop, false, ACCESS_TOKEN_TTL_S);
    const refresh = this.issueRefresh(shop, previousRefresh);
    return {
      access_token: access.token,
      scope: access.scope,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refresh.token,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
    };
  }

  /** Handles `POST https://{shop}/admin/oauth/access_token`. */
  handleTokenRequest(shop: string, body: Record<string, string>): TokenEndpointResult {
    const error = (status: number, code: string, description: string): TokenEndpointResult => ({ status, body: { error: code, error_description: description } });
    if (body.client_id !== this.options.apiKey || body.client_secret !== this.options.apiSecret) {
      return error(401, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret.");
    }
    if (body.grant_type === TOKEN_EXCHANGE_GRANT) {
      if (body.subject_token_type !== ID_TOKEN_TYPE) return error(400, "invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}`);
      const claims = verifySessionToken(body.subject_token ?? "", this.options.apiKey, this.options.apiSecret);
      if ("error" in claims) return error(400, "invalid_subject_token", `Session token rejected: ${claims.error}`);
      if (claims.dest !== `https://${shop}`) return error(400, "invalid_subject_token", "Session token was issued for another shop.");
      if (body.requested_token_type === ONLINE_TOKEN_TYPE) {
        const access = this.issueAccess(shop, true, ONLINE_TOKEN_TTL_S);
        return {
          status: 200,
          body: {
            access_token: access.token,
            scope: access.scope,
            expires_in: ONLINE_TOKEN_TTL_S,
            associated_user_scope: access.scope,
            associated_user: {
              id: Number(claims.sub), first_name: "Sim", last_name: "Merchant", email: `merchant+${claims.sub}@example.com`,
              account_owner: true, locale: "en", collaborator: false, email_verified: true,
            },
          },
        };
      }
      if (body.requested_token_type !== OFFLINE_TOKEN_TYPE) return error(400, "invalid_request", "requested_token_type must be an online or offline access token type.");
      if (body.expiring === "1") return { status: 200, body: this.expiringOfflineBody(shop, null) };
      const access = this.issueAccess(shop, false, null);
      return { status: 200, body: { access_token: access.token, scope: access.scope } };
    }
    if (body.grant_type === "refresh_token") {
      const record = this.refreshTokens.get(body.refresh_token ?? "");
      if (!record || record.shop !== shop || this.options.clock.now() >= record.expiresAt) {
        return error(400, "invalid_grant", "The refresh token is invalid, expired or already rotated.");
      }
      // Using a refresh token retires the one it replaced and (once the new one is used) itself.
      if (record.previous) this.refreshTokens.delete(record.previous);
      const body2 = this.expiringOfflineBody(shop, record.token);
      return { status: 200, body: body2 };
    }
    return error(400, "unsupported_grant_type", `grant_type ${body.grant_type} is not supported by the simulator.`);
  }
}
