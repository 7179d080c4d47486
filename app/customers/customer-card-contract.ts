/**
 * The customer card's wire format: what `GET /api/customer-card?customerId=gid://shopify/Customer/N&locale=nl`
 * answers and the admin extension in extensions/customer-card renders. `locale` (en, nl, da; the
 * language the admin shows the card in) only picks the language of the segment names. This is the stable part:
 * the service behind it may read other tables, the JSON stays the same.
 *
 * Self-contained on purpose (no imports): the extension type-checks against this one file and
 * nothing of the server.
 */

/** Which of the card's honest states applies. */
export type CustomerCardState =
  /** An analysis exists and the customer has predictions. */
  | "profile"
  /** The customer is in the analysis, but the shop's history is too short for predictions. */
  | "not-enough-data"
  /** The shop has no analysis yet (import running or not started). */
  | "not-imported"
  /** The app knows the customer, but they had no orders in the latest analysis. */
  | "no-orders"
  /** The app has no such customer in this shop (HTTP 404). */
  | "unknown-customer";

export type CardLifecycleStage = "new" | "active" | "slipping-away" | "lost";
export type CardChurnRisk = "low" | "medium" | "high";
export type CardCustomerGroup = "one-time" | "loyal" | "frequent" | "vip";

/**
 * Why the customer is in their lifecycle stage, as data (the analytics core's LifecycleReason):
 * the extension words it. Built from the numbers the stage was decided on, so it never
 * contradicts the stage.
 */
export type CardLifecycleReason =
  | { readonly kind: "new-customer"; readonly daysSinceFirstOrder: number; readonly newCustomerDays: number }
  | {
      readonly kind: "rhythm";
      /** The customer's own usual gap, or the shop's for a one-time buyer. */
      readonly rhythmOf: "customer" | "shop";
      readonly usualGapDays: number;
      readonly daysSinceLastOrder: number;
      /** Days past the usual gap (0 while within it). */
      readonly daysPastRhythm: number;
      readonly slippingAfterDays: number;
      readonly lostAfterDays: number;
    };

/** Why the analysis has no predictions (the analytics core's model-readiness reasons). */
export type CardReadinessReason =
  | { readonly kind: "too-few-repeat-customers"; readonly repeatCustomers: number; readonly required: number }
  | { readonly kind: "history-too-short"; readonly historyDays: number; readonly required: number };

export interface CustomerCard {
  state: CustomerCardState;
  /** The customer's Shopify GID, as asked. */
  customerId: string;
  /** Shop-local day (ISO date) the analysis is computed for; null before the first analysis. */
  analysedAt: string | null;
  /**
   * ISO instant the customer's profile was last written: by the per-order refresh seconds after
   * their latest order, or by the analysis. Null without a profile.
   */
  profileUpdatedAt: string | null;
  /** The shop's currency (ISO 4217) for predictedClv; null when Shopify has not told us yet. */
  currencyCode: string | null;
  lifecycleStage: CardLifecycleStage | null;
  /** Why the lifecycle stage; present whenever the stage is. */
  reason: CardLifecycleReason | null;
  churnRisk: CardChurnRisk | null;
  /**
   * Slipping away or lost by the lifecycle stage, yet a low churn risk (a frequent buyer's pause):
   * the card says why both hold (app/analytics/lifecycle/late-but-likely-active.ts).
   */
  lateButLikelyActive: boolean;
  /** Probability (0–1) that the customer is still active. */
  pAlive: number | null;
  /** Predicted 12-month customer lifetime value and its interval, in currencyCode. */
  predictedClv: { value: number; low: number | null; high: number | null } | null;
  /**
   * ISO date of the expected next order; null when none is expected within a year (state
   * "profile") or when there are no predictions.
   */
  nextOrderAt: string | null;
  /** Quintile scores 1–5 and the named RFM group (champions, loyal, …, lost). */
  rfm: { recency: number; frequency: number; monetary: number; group: string } | null;
  customerGroup: CardCustomerGroup | null;
  /** Only for "not-enough-data": why the shop's history gives no predictions yet. */
  notEnoughData: CardReadinessReason[];
  /**
   * The merchant's segments the customer is a member of (as of the last membership refresh),
   * sorted by name; empty when none, and always for "not-imported" and "unknown-customer".
   */
  segments: CardSegment[];
}

/** A segment the customer is a member of. */
export interface CardSegment {
  /** The segment's id in the app: its page is `app/segments/<id>`. */
  id: number;
  /** The name as the merchant sees it: a built-in's in the requested language, their own as written. */
  name: string;
  /** Held out of the tag push as the segment's control group (a member, but not tagged). */
  controlGroup: boolean;
}

/** The error body of a refused request (400 for a bad customerId). */
export interface CustomerCardError {
  error: "invalid-customer-id";
  message: string;
}
