import { lifecycleReason, type LifecycleReason } from "~/analytics/lifecycle/lifecycle-reason";
import type { LifecycleStage } from "~/analytics/lifecycle/lifecycle-stage";
import { CUSTOMERS_PER_PAGE, type CustomerListQuery } from "~/customers/customer-list-query";
import { prisma } from "~/db.server";
import type { RevenueBasis } from "~/settings/schema";
import { readCurrentAnalysis } from "~/snapshots/read-analysis.server";

export interface CustomerListRow {
  customerShopifyId: string;
  /** Redacted customers, and customers known only by id, are anonymous: no name, no e-mail. */
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
  /** Why the lifecycle stage is what it is, from the same numbers; rendered by the page. */
  reason: LifecycleReason;
}

export interface CustomerList {
  query: CustomerListQuery;
  total: number;
  pageSize: number;
  currencyCode: string | null;
  /** The revenue basis of the profiles' money amounts (that of the analysis they were computed with). */
  revenueBasis: RevenueBasis;
  rows: CustomerListRow[];
}

const SORT_ORDER = {
  clv: (direction: "asc" | "desc") => ({ predictedClv: { sort: direction, nulls: "last" as const } }),
  pAlive: (direction: "asc" | "desc") => ({ pAlive: { sort: direction, nulls: "last" as const } }),
  lastOrder: (direction: "asc" | "desc") => ({ lastOrderAt: direction }),
  totalSpent: (direction: "asc" | "desc") => ({ totalSpent: direction }),
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const maybe = (value: number | null) => (value === null || Number.isNaN(value) ? null : value);

/**
 * One page of the shop's customers with their profiles from the current analysis (F7), sorted
 * by predicted CLV, P(alive), last order or total spent (ties by customer id, so every row
 * appears exactly once across pages), optionally of one lifecycle stage. Names and e-mails come
 * from the profile's customer; customers without predictions sort last whatever the direction.
 */
export async function listCustomers(shop: string, query: CustomerListQuery): Promise<CustomerList> {
  const [current, shopRow] = await Promise.all([readCurrentAnalysis(prisma, shop), prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } })]);
  if (!current) return { query, total: 0, pageSize: CUSTOMERS_PER_PAGE, currencyCode: shopRow?.currencyCode ?? null, revenueBasis: "current_total", rows: [] };
  const where = { snapshotId: current.snapshotId, ...(query.lifecycle ? { lifecycleStage: query.lifecycle } : {}) };
  const [total, profiles] = await Promise.all([
    prisma.customerProfile.count({ where }),
    prisma.customerProfile.findMany({
      where,
      orderBy: [SORT_ORDER[query.sort](query.direction), { customerShopifyId: "asc" }],
      skip: (query.page - 1) * CUSTOMERS_PER_PAGE,
      take: CUSTOMERS_PER_PAGE,
      include: { customer: { select: { firstName: true, lastName: true, email: true, redactedAt: true } } },
    }),
  ]);
  const settings = current.document.settings;
  const lifecycle = { newCustomerDays: settings.newCustomerDays, activeFactor: settings.lifecycleActiveFactor, lostFactor: settings.lifecycleLostFactor };
  return {
    query,
    total,
    pageSize: CUSTOMERS_PER_PAGE,
    currencyCode: shopRow?.currencyCode ?? null,
    revenueBasis: current.document.revenue.revenueBasis,
    rows: profiles.map((p) => {
      const customer = p.customer;
      const fullName = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null;
      // Redacted, or known only by id (orders arrived before the customer record): nothing to show.
      const anonymous = customer.redactedAt !== null || (fullName === null && customer.email === null);
      const name = anonymous ? null : fullName;
      return {
        customerShopifyId: p.customerShopifyId,
        anonymous,
        name,
        email: anonymous ? null : customer.email,
        lifecycle: p.lifecycleStage,
        group: p.customerGroup,
        churnRisk: p.churnRisk,
        pAlive: maybe(p.pAlive),
        expectedPurchases: maybe(p.expectedOrders),
        clv: maybe(p.predictedClv),
        clvLow: maybe(p.predictedClvLow),
        clvHigh: maybe(p.predictedClvHigh),
        nextOrderAt: p.nextOrderAt ? isoDay(p.nextOrderAt) : null,
        lastOrderAt: isoDay(p.lastOrderAt),
        totalSpent: Number(p.totalSpent),
        orders: p.orderCount,
        reason: lifecycleReason(
          {
            stage: p.lifecycleStage as LifecycleStage,
            repeatPurchases: p.repeatPurchases,
            daysSinceFirstOrder: p.daysSinceFirstOrder,
            daysSinceLastOrder: p.daysSinceLastOrder,
            usualGapDays: p.usualGapDays,
          },
          lifecycle,
        ),
      };
    }),
  };
}
