/**
 * One customer's page (issue #12 item 5): the orders the analysis saw, in time, the customer's
 * profile of the current analysis (scores with their intervals, lifecycle stage and the reason),
 * and the segments the customer is in. Every query is scoped to `shop` (the verified session's).
 */
import { lifecycleReason, type LifecycleReason } from "~/analytics/lifecycle/lifecycle-reason";
import type { LifecycleStage } from "~/analytics/lifecycle/lifecycle-stage";
import { lateButLikelyActive } from "~/analytics/lifecycle/late-but-likely-active";
import type { ChurnRisk } from "~/analytics/scores/customer-score-rows";
import { shopLocalDay } from "~/snapshots/shop-local-day";
import { appContext } from "~/services/sync.server";
import type { RevenueBasis } from "~/settings/schema";
import { orderRevenue } from "~/settings/snapshot-revenue";
import { analysisStatusOf, readAnalysisState, type AnalysisStatus } from "~/snapshots/read-analysis.server";
import { predictionHorizon, type PredictionHorizon } from "~/snapshots/snapshot-document";
import type { SegmentLabel } from "~/segments/builtin-segments";
import { segmentsOfCustomer } from "~/segments/customer-segments.server";

/** Orders shown at most (the newest); the count of all is given. */
export const CUSTOMER_PAGE_ORDERS = 200;

export interface CustomerPageOrder {
  name: string | null;
  /** Shop-local calendar day. */
  day: string;
  amount: number;
  /** Why the analysis does not count it (test or cancelled), or null when it counts. */
  notCounted: "test" | "cancelled" | null;
}

export interface Interval {
  value: number;
  low: number | null;
  high: number | null;
}

export interface CustomerPageProfile {
  orders: number;
  repeatPurchases: number;
  totalSpent: number;
  averageOrderValue: number;
  firstOrderDay: string;
  lastOrderDay: string;
  lifecycleStage: LifecycleStage;
  reason: LifecycleReason;
  customerGroup: string;
  customerType: string;
  spendTier: string;
  rfm: { recency: number; frequency: number; monetary: number; group: string };
  acquisitionSource: string | null;
  /** Null where the models had too little data (the reason is in `modelsUnavailable`). */
  pAlive: Interval | null;
  churnRisk: string | null;
  /** Slipping away or lost by the stage, yet a low churn risk (the page says why both hold). */
  lateButLikelyActive: boolean;
  expectedOrders: Interval | null;
  expectedOrderValue: number | null;
  clv: Interval | null;
  nextOrder: { day: string; low: string | null; high: string | null } | null;
}

export interface CustomerPageSegment {
  id: number;
  name: string;
  /** A built-in's name as translation data (segmentName); null for the merchant's own. */
  label: SegmentLabel | null;
  /** Held out of the tag push as a control group. */
  isControl: boolean;
  joinedAt: string;
}

export type CustomerPage =
  | { state: "unknown-customer" }
  | {
      state: "ready";
      customerShopifyId: string;
      /** Redacted customers and customers known only by id: no name, no e-mail. */
      anonymous: boolean;
      name: string | null;
      email: string | null;
      /** `countryCode` (ISO 3166-1 alpha-2) is named in the admin's language by the page; `country` is Shopify's English name, for a code-less address. */
      place: { city: string | null; province: string | null; countryCode: string | null; country: string | null };
      currencyCode: string | null;
      revenueBasis: RevenueBasis;
      /** Null before the first analysis, or when the customer has no counted order in it. */
      analysis: { asOf: string; horizon: PredictionHorizon | null; modelsUnavailable: boolean } | null;
      /** Whether new figures are being computed (a setting changed), or the last recompute failed. */
      analysisStatus: AnalysisStatus;
      profile: CustomerPageProfile | null;
      orders: CustomerPageOrder[];
      orderCount: number;
      segments: CustomerPageSegment[];
    };

const finite = (value: number | null) => (value === null || !Number.isFinite(value) ? null : value);
const interval = (value: number | null, low: number | null, high: number | null): Interval | null => {
  const v = finite(value);
  return v === null ? null : { value: v, low: finite(low), high: finite(high) };
};

/** One customer of `shop` by Shopify id, as the current analysis sees them. */
export async function customerPage(shop: string, customerShopifyId: string): Promise<CustomerPage> {
  const { prisma } = appContext();
  const [customer, analysisState, shopRow] = await Promise.all([
    prisma.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerShopifyId } } }),
    readAnalysisState(prisma, shop),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true, ianaTimezone: true } }),
  ]);
  if (!customer || customer.deletedAt !== null) return { state: "unknown-customer" };
  const current = analysisState.current;
  const zone = shopRow?.ianaTimezone ?? "UTC";
  const revenueBasis: RevenueBasis = current?.document.revenue.revenueBasis ?? "current_total";
  const [profile, orders, orderCount, memberships] = await Promise.all([
    current ? prisma.customerProfile.findUnique({ where: { snapshotId_customerId: { snapshotId: current.snapshotId, customerId: customer.id }, shop } }) : null,
    prisma.order.findMany({
      where: { shop, customerShopifyId, deletedAt: null },
      orderBy: [{ shopifyCreatedAt: "desc" }, { id: "desc" }],
      take: CUSTOMER_PAGE_ORDERS,
      select: { name: true, processedAt: true, shopifyCreatedAt: true, totalPrice: true, netSales: true, test: true, cancelledAt: true },
    }),
    prisma.order.count({ where: { shop, customerShopifyId, deletedAt: null } }),
    segmentsOfCustomer(prisma, shop, customerShopifyId),
  ]);
  const fullName = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null;
  const anonymous = customer.redactedAt !== null || (fullName === null && customer.email === null);
  const models = current?.document.analysis.models;
  const settings = current?.document.settings;
  const day = (d: Date) => shopLocalDay(d, zone);
  return {
    state: "ready",
    customerShopifyId,
    anonymous,
    name: anonymous ? null : fullName,
    email: anonymous ? null : customer.email,
    place: anonymous ? { city: null, province: null, countryCode: null, country: null } : { city: customer.city, province: customer.province, countryCode: customer.countryCode, country: customer.country },
    currencyCode: shopRow?.currencyCode ?? null,
    revenueBasis,
    analysis: current
      ? {
          asOf: current.document.analysis.asOf,
          horizon: predictionHorizon(current.document),
          modelsUnavailable: models?.status !== "fitted",
        }
      : null,
    analysisStatus: analysisStatusOf(analysisState),
    profile:
      profile && settings
        ? {
            orders: profile.orderCount,
            repeatPurchases: profile.repeatPurchases,
            totalSpent: Number(profile.totalSpent),
            averageOrderValue: Number(profile.averageOrderValue),
            firstOrderDay: profile.firstOrderAt.toISOString().slice(0, 10),
            lastOrderDay: profile.lastOrderAt.toISOString().slice(0, 10),
            lifecycleStage: profile.lifecycleStage as LifecycleStage,
            reason: lifecycleReason(
              {
                stage: profile.lifecycleStage as LifecycleStage,
                repeatPurchases: profile.repeatPurchases,
                daysSinceFirstOrder: profile.daysSinceFirstOrder,
                daysSinceLastOrder: profile.daysSinceLastOrder,
                usualGapDays: profile.usualGapDays,
              },
              { newCustomerDays: settings.newCustomerDays, activeFactor: settings.lifecycleActiveFactor, lostFactor: settings.lifecycleLostFactor },
            ),
            customerGroup: profile.customerGroup,
            customerType: profile.customerType,
            spendTier: profile.spendTier,
            rfm: { recency: profile.recencyScore, frequency: profile.frequencyScore, monetary: profile.monetaryScore, group: profile.rfmGroup },
            acquisitionSource: profile.acquisitionSource,
            pAlive: interval(profile.pAlive, profile.pAliveLow, profile.pAliveHigh),
            churnRisk: profile.churnRisk,
            lateButLikelyActive: lateButLikelyActive(profile.lifecycleStage as LifecycleStage, profile.churnRisk as ChurnRisk | null),
            expectedOrders: interval(profile.expectedOrders, profile.expectedOrdersLow, profile.expectedOrdersHigh),
            expectedOrderValue: finite(profile.expectedOrderValue),
            clv: interval(profile.predictedClv, profile.predictedClvLow, profile.predictedClvHigh),
            nextOrder: profile.nextOrderAt
              ? { day: profile.nextOrderAt.toISOString().slice(0, 10), low: profile.nextOrderLow?.toISOString().slice(0, 10) ?? null, high: profile.nextOrderHigh?.toISOString().slice(0, 10) ?? null }
              : null,
          }
        : null,
    orders: orders.map((o) => ({
      name: o.name,
      day: day(o.processedAt ?? o.shopifyCreatedAt),
      amount: orderRevenue(revenueBasis, Number(o.totalPrice), o.netSales === null ? null : Number(o.netSales)),
      notCounted: o.test ? "test" : o.cancelledAt !== null ? "cancelled" : null,
    })),
    orderCount,
    segments: memberships.map((m) => ({ id: m.id, name: m.name, label: m.label, isControl: m.isControl, joinedAt: m.joinedAt.toISOString() })),
  };
}
