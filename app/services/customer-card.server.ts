import type {
  CardChurnRisk,
  CardCustomerGroup,
  CardLifecycleStage,
  CardReadinessReason,
  CustomerCard,
} from "~/customers/customer-card-contract";
import { storedActivityReason } from "~/customers/activity-reason";
import { prisma } from "~/db.server";

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
 * What the app knows about one customer of `shop`, for the admin's customer card (F14).
 *
 * All of the card's database access is here, so re-pointing it at another per-customer table
 * changes this function only; the returned JSON (customer-card-contract.ts) stays the same.
 * Every query is scoped to `shop`, the shop of the verified session token.
 */
export async function customerCard(shop: string, customerId: string): Promise<CustomerCard> {
  const [snapshot, score, customer, shopRow] = await Promise.all([
    // The recompute replaces every score with its snapshot in one transaction: the latest snapshot is theirs.
    prisma.analysisSnapshot.findFirst({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, asOf: true } }),
    prisma.customerScore.findUnique({ where: { shop_customerShopifyId: { shop, customerShopifyId: customerId } } }),
    prisma.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: customerId } }, select: { redactedAt: true, deletedAt: true } }),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
  ]);
  const empty: CustomerCard = {
    state: "not-imported",
    customerId,
    analysedAt: snapshot ? isoDay(snapshot.asOf) : null,
    currencyCode: shopRow?.currencyCode ?? null,
    lifecycleStage: null,
    reason: null,
    churnRisk: null,
    pAlive: null,
    predictedClv: null,
    nextOrderAt: null,
    rfm: null,
    customerGroup: null,
    notEnoughData: [],
  };
  if (!snapshot) return empty;
  if (!score) {
    const known = customer !== null && customer.redactedAt === null && customer.deletedAt === null;
    return { ...empty, state: known ? "no-orders" : "unknown-customer" };
  }

  const descriptive = {
    ...empty,
    lifecycleStage: score.lifecycle as CardLifecycleStage,
    customerGroup: score.customerGroup as CardCustomerGroup,
    rfm: { recency: score.r, frequency: score.f, monetary: score.m, group: score.rfmGroup },
  };
  const pAlive = finite(score.pAlive);
  if (pAlive === null) {
    return { ...descriptive, state: "not-enough-data", notEnoughData: await readinessReasons(shop, snapshot.id) };
  }
  const clv = finite(score.clv);
  return {
    ...descriptive,
    state: "profile",
    reason: storedActivityReason(score),
    churnRisk: score.churnRisk as CardChurnRisk | null,
    pAlive,
    predictedClv: clv === null ? null : { value: clv, low: finite(score.clvLow), high: finite(score.clvHigh) },
    nextOrderAt: score.nextOrderAt ? isoDay(score.nextOrderAt) : null,
  };
}

/** Why the snapshot has no predictions, as the analysis recorded it (empty when it did not say). */
async function readinessReasons(shop: string, snapshotId: number): Promise<CardReadinessReason[]> {
  const row = await prisma.analysisSnapshot.findFirst({ where: { shop, id: snapshotId }, select: { data: true } });
  if (!row) return [];
  const models = (JSON.parse(row.data) as { models?: { status?: string; details?: CardReadinessReason[] } }).models;
  return models?.status === "insufficient-data" && Array.isArray(models.details) ? models.details : [];
}
