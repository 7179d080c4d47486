/**
 * The recompute job: loads the shop's orders and customers from the database page by page into
 * the analytics core's columnar dataset, runs `analyzeStore`, stores one AnalysisSnapshot and
 * replaces the shop's CustomerScore rows. Runs after a backfill, debounced after webhook
 * bursts, daily (recency changes every day even without new orders), and when the shop changes
 * its revenue basis.
 *
 * Revenue of an order is on the shop's basis (METRICS.md "Inputs"): its current total, or its
 * net sales. An order whose net sales are unknown (stored before the app read them) counts at
 * its current total, never as 0, and the snapshot says how many did (docs/decisions/009).
 */
import { analyzeStore } from "../../analytics/analyze-store";
import { createDatasetBuilder } from "../../analytics/dataset/dataset-builder";
import type { RevenueBasis } from "../../settings/schema";
import type { SnapshotRevenue } from "../../settings/snapshot-revenue";
import type { SyncContext } from "../sync-context";

const PAGE = 5_000;

/** UTC offset of `zone` at `ms`, in minutes (Intl, no dependency). */
function offsetMinutes(formatter: Intl.DateTimeFormat, ms: number): number {
  const parts = formatter.formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

export interface RecomputeResult extends SnapshotRevenue {
  snapshotId: number;
  scores: number;
}

export async function recomputeShop(ctx: SyncContext, shop: string, options: { asOf?: Date } = {}): Promise<RecomputeResult> {
  const [shopRow, settings] = await Promise.all([
    ctx.prisma.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }),
    ctx.prisma.shopSettings.findUnique({ where: { shop }, select: { revenueBasis: true } }),
  ]);
  const revenueBasis: RevenueBasis = settings?.revenueBasis === "net_sales" ? "net_sales" : "current_total";
  let ordersWithoutNetSales = 0;
  const zone = shopRow?.ianaTimezone ?? "UTC";
  const formatter = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  const builder = createDatasetBuilder();
  const offsetCache = new Map<number, number>();
  let cursor = 0;
  for (;;) {
    const orders = await ctx.prisma.order.findMany({
      where: { shop, id: { gt: cursor }, deletedAt: null },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true, customerShopifyId: true, shopifyCreatedAt: true, processedAt: true, totalPrice: true, netSales: true, test: true, cancelledAt: true,
        sourceName: true, utmSource: true,
        lines: { select: { productShopifyId: true, title: true, productType: true, quantity: true, amount: true } },
      },
    });
    if (orders.length === 0) break;
    for (const o of orders) {
      const at = (o.processedAt ?? o.shopifyCreatedAt).getTime();
      const hour = Math.floor(at / 3_600_000);
      let offset = offsetCache.get(hour);
      if (offset === undefined) {
        offset = offsetMinutes(formatter, at);
        offsetCache.set(hour, offset);
      }
      let revenue = o.totalPrice;
      if (revenueBasis === "net_sales") {
        if (o.netSales !== null) revenue = o.netSales;
        else if (!o.test && o.cancelledAt === null) ordersWithoutNetSales++; // only orders that count change a figure
      }
      builder.add({
        customerId: o.customerShopifyId,
        at,
        utcOffsetMinutes: offset,
        revenue: Number(revenue),
        source: o.utmSource ?? o.sourceName,
        test: o.test,
        cancelled: o.cancelledAt !== null,
        lineItems: o.lines.map((l) => ({
          productId: l.productShopifyId ?? l.title,
          title: l.title,
          productType: l.productType ?? undefined,
          quantity: l.quantity,
          revenue: Number(l.amount),
        })),
      });
    }
    cursor = orders[orders.length - 1].id;
  }
  cursor = 0;
  for (;;) {
    const customers = await ctx.prisma.customer.findMany({
      where: { shop, id: { gt: cursor }, deletedAt: null },
      orderBy: { id: "asc" },
      take: PAGE,
      select: { id: true, shopifyId: true, shopifyCreatedAt: true, countryCode: true, province: true, city: true, emailMarketingState: true, tags: true },
    });
    if (customers.length === 0) break;
    for (const c of customers) {
      builder.addCustomer({
        customerId: c.shopifyId,
        createdAt: c.shopifyCreatedAt?.getTime() ?? null,
        country: c.countryCode,
        province: c.province,
        city: c.city,
        emailMarketingConsent: c.emailMarketingState == null ? null : c.emailMarketingState === "SUBSCRIBED",
        tags: JSON.parse(c.tags) as string[],
      });
    }
    cursor = customers[customers.length - 1].id;
  }
  const dataset = builder.build();
  const asOfDate = options.asOf ?? ctx.now?.() ?? new Date();
  const asOf = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(asOfDate);
  const analysis = analyzeStore(dataset, { asOf });
  const { scores = [], ...summary } = analysis;
  const revenueFacts: SnapshotRevenue = { revenueBasis, ordersWithoutNetSales };
  return ctx.prisma.$transaction(
    async (tx) => {
      const snapshot = await tx.analysisSnapshot.create({
        data: { shop, asOf: new Date(`${asOf}T00:00:00Z`), customers: analysis.customers, orders: analysis.orders, data: JSON.stringify({ ...summary, ...revenueFacts }) },
      });
      await tx.customerScore.deleteMany({ where: { shop } });
      for (let i = 0; i < scores.length; i += 1000) {
        await tx.customerScore.createMany({
          data: scores.slice(i, i + 1000).map((s) => ({
            shop,
            customerShopifyId: s.customer_id,
            snapshotId: snapshot.id,
            orders: s.orders,
            x: s.x,
            tx: s.t_x,
            T: s.T,
            totalSpent: s.total_spent.toFixed(2),
            aov: s.aov.toFixed(2),
            firstOrderAt: new Date(`${s.first_order_date}T00:00:00Z`),
            lastOrderAt: new Date(`${s.last_order_date}T00:00:00Z`),
            daysSinceLastOrder: s.days_since_last_order,
            pAlive: s.p_alive,
            churnRisk: s.churn_risk,
            expectedPurchases: s.expected_purchases,
            expectedSpend: s.expected_spend,
            clv: s.clv,
            clvLow: s.clv_low,
            clvHigh: s.clv_high,
            nextOrderAt: s.next_order_date ? new Date(`${s.next_order_date}T00:00:00Z`) : null,
            lifecycle: s.lifecycle,
            customerGroup: s.group,
            r: s.r,
            f: s.f,
            m: s.m,
            rfmGroup: s.rfm_group,
            reason: s.reason,
          })),
        });
      }
      return { snapshotId: snapshot.id, scores: scores.length, ...revenueFacts };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
