import { CUSTOMERS_PER_PAGE, type CustomerListQuery } from "~/customers/customer-list-query";
import { prisma } from "~/db.server";
import type { RevenueBasis } from "~/settings/schema";
import { snapshotRevenue } from "~/settings/snapshot-revenue";

export interface CustomerListRow {
  customerShopifyId: string;
  /** Redacted (or no longer stored) customers are anonymous: no name, no e-mail. */
  anonymous: boolean;
  name: string | null;
  email: string | null;
  lifecycle: string;
  group: string;
  churnRisk: string | null;
  pAlive: number | null;
  expectedPurchases: number | null;
  clv: number | null;
  clvLow: number | null;
  clvHigh: number | null;
  /** ISO date (shop-local day) or null when no order is expected within a year. */
  nextOrderAt: string | null;
  lastOrderAt: string;
  totalSpent: number;
  orders: number;
  reason: string | null;
}

export interface CustomerList {
  query: CustomerListQuery;
  total: number;
  pageSize: number;
  currencyCode: string | null;
  /** The revenue basis of the scores' money amounts (that of the snapshot they were computed with). */
  revenueBasis: RevenueBasis;
  rows: CustomerListRow[];
}

const SORT_ORDER = {
  clv: (direction: "asc" | "desc") => ({ clv: { sort: direction, nulls: "last" as const } }),
  pAlive: (direction: "asc" | "desc") => ({ pAlive: { sort: direction, nulls: "last" as const } }),
  lastOrder: (direction: "asc" | "desc") => ({ lastOrderAt: direction }),
  totalSpent: (direction: "asc" | "desc") => ({ totalSpent: direction }),
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const maybe = (value: number | null) => (value === null || Number.isNaN(value) ? null : value);

/**
 * One page of the shop's customers with their stored scores (F7), sorted by predicted CLV,
 * P(alive), last order or total spent (ties by customer id, so every row appears exactly once
 * across pages), optionally of one lifecycle stage. Names and e-mails come from the shop's own
 * Customer rows; customers without predictions sort last whatever the direction.
 */
export async function listCustomers(shop: string, query: CustomerListQuery): Promise<CustomerList> {
  const where = { shop, ...(query.lifecycle ? { lifecycle: query.lifecycle } : {}) };
  const [total, scores, shopRow, snapshot] = await Promise.all([
    prisma.customerScore.count({ where }),
    prisma.customerScore.findMany({
      where,
      orderBy: [SORT_ORDER[query.sort](query.direction), { customerShopifyId: "asc" }],
      skip: (query.page - 1) * CUSTOMERS_PER_PAGE,
      take: CUSTOMERS_PER_PAGE,
    }),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
    // The recompute replaces every score with its snapshot in one transaction: the latest snapshot is theirs.
    prisma.analysisSnapshot.findFirst({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { data: true } }),
  ]);
  const customers = await prisma.customer.findMany({
    where: { shop, shopifyId: { in: scores.map((s) => s.customerShopifyId) } },
    select: { shopifyId: true, firstName: true, lastName: true, email: true, redactedAt: true },
  });
  const byId = new Map(customers.map((c) => [c.shopifyId, c]));
  return {
    query,
    total,
    pageSize: CUSTOMERS_PER_PAGE,
    currencyCode: shopRow?.currencyCode ?? null,
    revenueBasis: snapshotRevenue(snapshot ? (JSON.parse(snapshot.data) as Parameters<typeof snapshotRevenue>[0]) : null).revenueBasis,
    rows: scores.map((s) => {
      const customer = byId.get(s.customerShopifyId);
      const anonymous = !customer || customer.redactedAt !== null;
      const name = anonymous ? null : [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null;
      return {
        customerShopifyId: s.customerShopifyId,
        anonymous,
        name,
        email: anonymous ? null : customer.email,
        lifecycle: s.lifecycle,
        group: s.customerGroup,
        churnRisk: s.churnRisk,
        pAlive: maybe(s.pAlive),
        expectedPurchases: maybe(s.expectedPurchases),
        clv: maybe(s.clv),
        clvLow: maybe(s.clvLow),
        clvHigh: maybe(s.clvHigh),
        nextOrderAt: s.nextOrderAt ? isoDay(s.nextOrderAt) : null,
        lastOrderAt: isoDay(s.lastOrderAt),
        totalSpent: Number(s.totalSpent),
        orders: s.orders,
        reason: s.reason,
      };
    }),
  };
}
