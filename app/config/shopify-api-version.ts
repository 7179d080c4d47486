import { ApiVersion } from "@shopify/shopify-app-remix/server";

/**
 * The one Admin API version this app speaks (see docs/decisions/006-one-pinned-api-version.md).
 *
 * `shopify.server.ts`, the GraphQL codegen config and `shopify.app.toml`'s
 * `[webhooks] api_version` must all say the same version; a test compares the toml
 * against {@link SHOPIFY_API_VERSION_STRING} so they cannot drift apart the way the
 * Shopify template's three pins did.
 */
export const SHOPIFY_API_VERSION = ApiVersion.October26;

/** The same version as the `YYYY-MM` string used in URLs, headers and the toml file. */
export const SHOPIFY_API_VERSION_STRING: string = SHOPIFY_API_VERSION;
