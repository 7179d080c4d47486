import { SHOPIFY_API_VERSION_STRING } from "../config/shopify-api-version";

/**
 * The one Admin API version the app speaks, pinned in app/config/shopify-api-version.ts
 * (docs/decisions/006). Every document is validated against the local schema of that version.
 */
export const ADMIN_API_VERSION = SHOPIFY_API_VERSION_STRING;

export class AdminEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminEndpointError";
  }
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The Admin GraphQL endpoint for a shop: `https://{shop}/admin/api/2026-10/graphql.json`.
 *
 * `overrideBaseUrl` points the app at the Shopify simulator (tools/shopify-sim). It is a
 * dev/test setting only: production refuses it, so a misconfigured deploy can never send a
 * shop's token anywhere but Shopify.
 * @throws AdminEndpointError for a malformed shop domain or an override in production.
 */
export function adminGraphqlUrl(
  shop: string,
  options: { overrideBaseUrl?: string; nodeEnv?: string } = {},
): string {
  if (!SHOP_DOMAIN.test(shop)) {
    throw new AdminEndpointError(`shop: "${shop}" is not a *.myshopify.com domain`);
  }
  const nodeEnv = options.nodeEnv ?? process.env.NODE_ENV;
  if (options.overrideBaseUrl) {
    if (nodeEnv === "production") {
      throw new AdminEndpointError("SHOPIFY_ADMIN_API_BASE_URL is a dev/test setting and is refused in production");
    }
    const base = options.overrideBaseUrl.replace(/\/+$/, "");
    return `${base}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
  }
  return `https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
}
