import "@shopify/shopify-app-remix/adapters/node";
import { InvalidShopError } from "@shopify/shopify-api";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { SHOPIFY_API_VERSION } from "~/config/shopify-api-version";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { allowSimulatorToFrame, routeShopifyRequestsToSimulator } from "~/config/shopify-simulator.server";
import { recordInstall } from "~/services/install.server";
import { accessRenewed, ensureBackfill } from "~/services/sync.server";
import { PrismaSessionStorage } from "~/session-storage.server";
import { verifyWebhook, type VerifiedWebhook } from "~/webhooks/verify-webhook.server";

// Validated before shopifyApp() runs: a missing key must end the process with one line that
// names it, not with the library's stack trace.
const env = getEnv();

if (env.SHOPIFY_SIMULATOR_URL) routeShopifyRequestsToSimulator(env.SHOPIFY_SIMULATOR_URL, env.NODE_ENV);

/** The app's one `shopifyApp()` instance; routes import only the exports below. */
const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: env.SCOPES,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: {
    // Token exchange: Shopify-managed install, no OAuth redirects inside the admin iframe.
    unstable_newEmbeddedAuthStrategy: true,
    // Offline tokens expire after 60 min and are refreshed with a rotating refresh token;
    // mandatory for public apps from 1 Jan 2027 (SHOPIFY.md §0).
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // Runs whenever token exchange mints a token, not only on first install: recordInstall
    // is an idempotent upsert for that reason.
    afterAuth: async ({ session }) => {
      await recordInstall({ shop: session.shop, session });
      // Idempotent: starts the first import only when none is running or done (and re-queues a
      // running one's job, which a refused token may have ended).
      await ensureBackfill(session.shop);
      // Tag pushes a refused token stopped go on with the new one (app/jobs/access-renewal.ts).
      await accessRenewed(session.shop);
    },
  },
});

export default shopify;
export const apiVersion = SHOPIFY_API_VERSION;
/** Content-Security-Policy frame-ancestors and friends, so the admin (or the simulator's admin page) can embed the app. */
export const addDocumentResponseHeaders: typeof shopify.addDocumentResponseHeaders = (request, headers) => {
  shopify.addDocumentResponseHeaders(request, headers);
  if (env.SHOPIFY_SIMULATOR_URL) allowSimulatorToFrame(headers, env.SHOPIFY_SIMULATOR_URL);
};
/**
 * `authenticate.admin`, except that a correctly signed session token naming something that is
 * not a shop domain gets 401 instead of the library's InvalidShopError (a 500): such a token
 * cannot belong to an installed shop, and retrying it will not help.
 */
const authenticateAdmin: typeof shopify.authenticate.admin = async (request) => {
  try {
    return await shopify.authenticate.admin(request);
  } catch (error) {
    if (error instanceof InvalidShopError) throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
    throw error;
  }
};
export const authenticate: typeof shopify.authenticate = { ...shopify.authenticate, admin: authenticateAdmin };
/**
 * Webhook routes verify with the app's secret but load no offline session (unlike
 * `authenticate.webhook`): recording a delivery needs no Admin API access. Decision 008.
 */
export const verifyWebhookDelivery = (request: Request): Promise<VerifiedWebhook> => verifyWebhook(request, env.SHOPIFY_API_SECRET);
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
