/** Public API of the Shopify simulator (dev/test only; see README.md). */

// running a simulator
export { createShopifySimulator, assertNotProduction } from "./simulator.ts";
export type { ShopifySimulator, ShopifySimulatorOptions, ShopSpec, SimulatedShop } from "./simulator.ts";
export { startLiveMode } from "./live-mode.ts";
export type { LiveModeOptions } from "./live-mode.ts";

// time
export { createManualClock, createSystemClock } from "./clock.ts";
export type { ManualClock, SimClock } from "./clock.ts";

// sample stores
export { generateStore, DEFAULT_PURCHASE_PROCESS, DEFAULT_SPEND, DEFAULT_SEASONALITY } from "./store-generator.ts";
export type { GeneratedStore, PurchaseProcessParams, SpendParams, StoreGeneratorOptions } from "./store-generator.ts";
export {
  bgNbdExpectedRepeatPurchases, bgNbdProbabilityOfRepeatPurchases, gammaGammaMeanSpend, hypergeometric2F1, logGamma,
} from "./bg-nbd-expectation.ts";
export { ORDER_FLAG_CANCELLED, ORDER_FLAG_PROCESS, ORDER_FLAG_TEST, formatMoney } from "./store-model.ts";
export { globalId, numericId, parseResourceId } from "./resource-ids.ts";

// protocol pieces
export { mintSessionToken, verifySessionToken } from "./session-tokens.ts";
export { signWebhookBody, retryDelayMs, FIRST_RETRY_DELAY_MS, MAX_RETRIES } from "./webhook-sender.ts";
export type { WebhookFaults, WebhookSubscription, DeliveryAttempt } from "./webhook-sender.ts";
export type { BulkFailurePlan } from "./bulk-operations.ts";
export { loadAdminSchema, API_VERSION } from "./admin-graphql.ts";
