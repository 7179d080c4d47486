import { appContext } from "~/services/sync.server";
import { lifecycleReason } from "~/analytics/lifecycle/lifecycle-reason";
import { lateButLikelyActive } from "~/analytics/lifecycle/late-but-likely-active";
import type { LifecycleStage } from "~/analytics/lifecycle/lifecycle-stage";
import type { CardChurnRisk, CardCustomerGroup, CardReadinessReason, CustomerCard } from "~/customers/customer-card-contract";
import { segmentName } from "~/components/segment-name";
import { createTranslator, type Locale } from "~/i18n/translate";
import { segmentsOfCustomer } from "~/segments/customer-segments.server";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";

/** Shopify customer GIDs: the only customerId the card accepts. */
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/[1-9][0-9]{0,19}$/;

export type CustomerCardQuery = { ok: true; customerId: string } | { ok: false; message: string };

/** Reads `?customerId=gid://shopify/Customer/N` (what the admin's `data.selected[0].id` holds). */
export function parseCustomerCardQuery(params: URLSearchParams): CustomerCardQuery {
  const customerId = params.get("customerId");
  if (customerId === null || customerId === "") return { ok: false, message: "customerId is required (gid://shopify/Customer/N)" };
  if (!CUSTOMER_GID.test(customerId)) return { ok: false, message: "customerId must be a Shopify customer id like gid://shopify/Customer/123" };
  return { ok: true, customerId };
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const finite = (value: number | null) => (value === null || !Number.isFinite(value) ? null : value);

/**
 * What the current analysis of `shop` concluded about one customer, for the admin's customer
 * card (F14).
 *
 * All of the card's database access is here (the current analysis through app/snapshots, the
 * customer's profile of that generation), so a change of storage changes this function only;
 * the returned JSON (customer-card-contract.ts) stays the same. Every query is scoped to
 * `shop`, the shop of the verified session token.
 */
export async function customerCard(shop: string, customerId: string, locale: Locale = "en"): Promise<CustomerCard> {
  const { prisma } = appContext();
  const [current, customer, shopRow] = await Promise.all([
    readCurrentAnalysis(prisma, shop),
    prisma.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerId } }, select: { id: true, redactedAt: true, deletedAt: true } }),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
  ]);
  const empty: CustomerCard = {
    state: "not-imported",
    customerId,
    analysedAt: current?.document.analysis.asOf ?? null,
    profileUpdatedAt: null,
    currencyCode: shopRow?.currencyCode ?? null,
    lifecycleStage: null,
    reason: null,
    churnRisk: null,
    lateButLikelyActive: false,
    pAlive: null,
    predictedClv: null,
    nextOrderAt: null,
    rfm: null,
    customerGroup: null,
    notEnoughData: [],
    segments: [],
  };
  if (!current) return empty;
  const known = customer !== null && customer.redactedAt === null && customer.deletedAt === null;
  const [profile, memberships] = await Promise.all([
    customer ? prisma.customerProfile.findUnique({ where: { snapshotId_customerId: { snapshotId: current.snapshotId, customerId: customer.id }, shop } }) : null,
    known ? segmentsOfCustomer(prisma, shop, customerId) : [],
  ]);
  const t = createTranslator(locale);
  const segments = memberships
    .map((m) => ({ id: m.id, name: segmentName(t, m), controlGroup: m.isControl }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
  if (!profile) return { ...empty, state: known ? "no-orders" : "unknown-customer", segments };

  const { settings, analysis } = current.document;
  const stage = profile.lifecycleStage as LifecycleStage;
  const descriptive: CustomerCard = {
    ...empty,
    segments,
    profileUpdatedAt: (profile.refreshedAt ?? current.computedAt).toISOString(),
    lifecycleStage: stage,
    reason: lifecycleReason(
      {
        stage,
        repeatPurchases: profile.repeatPurchases,
        daysSinceFirstOrder: profile.daysSinceFirstOrder,
        daysSinceLastOrder: profile.daysSinceLastOrder,
        usualGapDays: profile.usualGapDays,
      },
      { newCustomerDays: settings.newCustomerDays, activeFactor: settings.lifecycleActiveFactor, lostFactor: settings.lifecycleLostFactor },
    ),
    customerGroup: profile.customerGroup as CardCustomerGroup,
    rfm: { recency: profile.recencyScore, frequency: profile.frequencyScore, monetary: profile.monetaryScore, group: profile.rfmGroup },
  };
  const pAlive = finite(profile.pAlive);
  if (pAlive === null) {
    const readiness: CardReadinessReason[] = analysis.models.status === "insufficient-data" ? [...analysis.models.details] : [];
    return { ...descriptive, state: "not-enough-data", notEnoughData: readiness };
  }
  const clv = finite(profile.predictedClv);
  return {
    ...descriptive,
    state: "profile",
    churnRisk: profile.churnRisk as CardChurnRisk | null,
    lateButLikelyActive: lateButLikelyActive(stage, profile.churnRisk as CardChurnRisk | null),
    pAlive,
    predictedClv: clv === null ? null : { value: clv, low: finite(profile.predictedClvLow), high: finite(profile.predictedClvHigh) },
    nextOrderAt: profile.nextOrderAt ? isoDay(profile.nextOrderAt) : null,
  };
}
