/**
 * The reconcile job: a light periodic read of orders and customers updated since the last
 * reconcile (`updated_at:>'…'`), upserted with the same stale-write guard as everything else.
 * It heals webhooks Shopify never delivered; with `orderIds`/`customerIds` it re-reads just
 * those records (refunds/create, tags for an unknown customer).
 */
import { errorLine } from "~/log.server";
import { AdminApiError, type AdminApiClient } from "../../shopify/admin-api-client";
import {
  RECENT_CUSTOMERS,
  RECENT_CUSTOMERS_NODE_COST,
  RECENT_ORDERS,
  RECENT_ORDERS_NODE_COST,
  RECONCILE_LINE_ITEMS_PER_ORDER,
} from "../../shopify/documents/reconcile-queries";
import type { RecentCustomersQuery, RecentOrdersQuery } from "../../shopify/generated/admin.generated";
import { pageSizeForCost } from "../../shopify/throttle-bucket";
import { customerRowFromNode, lineRowFromNode, orderRowFromNode } from "../records/from-graphql";
import { upsertCustomers, upsertOrders } from "../store/record-writer";
import type { SyncContext } from "../sync-context";

/** Overlap with the previous window: Shopify's search index lags writes slightly. */
const OVERLAP_MS = 10 * 60_000;

/**
 * How long a check's run is kept. Every 15 minutes makes ~2,900 rows a month per shop; the home
 * page and the next check read only the latest; a month is kept to look into a failing shop.
 */
export const RECONCILE_RUNS_KEPT_MS = 30 * 86_400_000;

export async function reconcileShop(
  ctx: SyncContext,
  api: AdminApiClient,
  shop: string,
  payload: { orderIds?: string[]; customerIds?: string[] },
  signal?: AbortSignal,
): Promise<{ orders: number; customers: number }> {
  const now = ctx.now?.() ?? new Date();
  const targeted = Boolean(payload.orderIds?.length || payload.customerIds?.length);
  let since: Date | null = null;
  let runId: number | null = null;
  if (!targeted) {
    const last = await ctx.prisma.syncRun.findFirst({ where: { shop, status: "completed" }, orderBy: { startedAt: "desc" } });
    if (!last) return { orders: 0, customers: 0 }; // nothing to reconcile before the first backfill
    since = new Date(last.startedAt.getTime() - OVERLAP_MS);
    runId = (await ctx.prisma.syncRun.create({ data: { shop, kind: "reconcile" } })).id;
  }
  const idQuery = (ids: string[] | undefined) => ids?.map((gid) => `id:${gid.split("/").pop()}`).join(" OR ");
  // What was read so far: also what a failed check records.
  const read = { orders: 0, customers: 0 };
  const queryFor = (ids: string[] | undefined) => (targeted ? idQuery(ids)! : `updated_at:>'${since!.toISOString()}'`);
  try {
    if (!targeted || payload.orderIds?.length) await reconcileOrders(ctx, api, shop, queryFor(payload.orderIds), now, read, signal);
    if (!targeted || payload.customerIds?.length) await reconcileCustomers(ctx, api, shop, queryFor(payload.customerIds), now, read, signal);
  } catch (error) {
    // The home page says why the check stopped; the queue retries the job as a new run. A check
    // interrupted by a shutdown is not a failure to show: the next one supersedes it.
    if (runId !== null && !signal?.aborted) {
      const data = { status: "failed", finishedAt: ctx.now?.() ?? new Date(), objectsDone: read.orders + read.customers, error: errorLine(error, 300) };
      await ctx.prisma.syncRun.update({ where: { id: runId }, data }).catch(() => {});
    }
    throw error;
  }
  if (runId !== null) {
    await ctx.prisma.syncRun.update({ where: { id: runId }, data: { status: "completed", finishedAt: ctx.now?.() ?? new Date(), objectsDone: read.orders + read.customers, objectsTotal: read.orders + read.customers } });
    await ctx.prisma.syncRun.deleteMany({ where: { shop, kind: "reconcile", startedAt: { lt: new Date(now.getTime() - RECONCILE_RUNS_KEPT_MS) } } });
  }
  return read;
}

/** The orders `query` finds, a page at a time, upserted with the stale-write guard; counted into `read`. */
async function reconcileOrders(ctx: SyncContext, api: AdminApiClient, shop: string, query: string, now: Date, read: { orders: number }, signal?: AbortSignal): Promise<void> {
  let after: string | null = null;
  let first = pageSizeForCost(RECENT_ORDERS_NODE_COST, api.bucket.last);
  while (!signal?.aborted) {
    let data: RecentOrdersQuery;
    try {
      ({ data } = await api.request(RECENT_ORDERS, { first, after, query, lineItemsPerOrder: RECONCILE_LINE_ITEMS_PER_ORDER }, { signal }));
    } catch (error) {
      // Our cost estimate was low (Shopify's formula differs per field): halve the page and retry.
      if (first > 1 && isMaxCostExceeded(error)) {
        first = Math.max(1, Math.floor(first / 2));
        continue;
      }
      throw error;
    }
    const rows = data.orders.nodes.map((node) => {
      const order = orderRowFromNode(node);
      return { order, lines: node.lineItems.nodes.map((l) => lineRowFromNode(l, order.shopifyId)), linesComplete: !node.lineItems.pageInfo.hasNextPage };
    });
    await ctx.prisma.$transaction((tx) => upsertOrders({ db: tx, dialect: ctx.dialect }, shop, rows, now));
    read.orders += rows.length;
    if (!data.orders.pageInfo.hasNextPage) break;
    after = data.orders.pageInfo.endCursor;
  }
}

/** The customers `query` finds, likewise. */
async function reconcileCustomers(ctx: SyncContext, api: AdminApiClient, shop: string, query: string, now: Date, read: { customers: number }, signal?: AbortSignal): Promise<void> {
  let after: string | null = null;
  do {
    const first = pageSizeForCost(RECENT_CUSTOMERS_NODE_COST, api.bucket.last);
    const { data }: { data: RecentCustomersQuery } = await api.request(RECENT_CUSTOMERS, { first, after, query }, { signal });
    const rows = data.customers.nodes.map(customerRowFromNode);
    await ctx.prisma.$transaction((tx) => upsertCustomers({ db: tx, dialect: ctx.dialect }, shop, rows, now));
    read.customers += rows.length;
    after = data.customers.pageInfo.hasNextPage ? data.customers.pageInfo.endCursor : null;
  } while (after && !signal?.aborted);
}

function isMaxCostExceeded(error: unknown): boolean {
  return (
    error instanceof AdminApiError &&
    error.graphQLErrors.some((e) => e.extensions?.code === "MAX_COST_EXCEEDED" || /max cost limit/i.test(e.message))
  );
}
