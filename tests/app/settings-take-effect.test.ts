/**
 * Each setting, changed through the Settings page as a merchant would, changes the figures it
 * should and nothing else, once the recompute it queues has run (issue "Settings that take
 * effect"): VIP share 10 → 25 % raises the VIP count; "lost after" 2 → 3 lowers the Lost count;
 * new-customer days 30 → 120 raises the New count; marketing spend gives CAC and LTV:CAC.
 * Read back the way the pages read it (the current analysis), on SQLite and PostgreSQL. And the
 * chain itself: a save queues the recompute in the app's own queue, and its worker stores the figures.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JOB_KINDS, type JobHandler, type JobKind, type JobQueue } from "~/sync/jobs/job-queue";
import type { SyncContext } from "~/sync/sync-context";
import { TEST_DIALECTS, testSyncContext } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type SettingsModule = typeof import("~/routes/app.settings");

const SHOP = "take-effect.myshopify.com";
const AS_OF = new Date("2026-06-30T12:00:00Z");
const DAY = 86_400_000;
const DEFAULTS = { tagPrefix: "ci-", vipSharePercent: "10", lifecycleActiveFactor: "1.5", lifecycleLostFactor: "2", newCustomerDays: "30", monthlyMarketingSpend: "0", revenueBasis: "current_total" };

describe.each(TEST_DIALECTS)("settings take effect on %s", (dialect) => {
  let app: AppUnderTest;
  let settings: SettingsModule;
  let recompute: typeof import("~/jobs/handlers/recompute").recomputeShop;
  let readCurrentAnalysis: typeof import("~/snapshots/read-analysis.server").readCurrentAnalysis;
  let ctx: SyncContext;

  /** Saves the form through the route, as the page's Save button does. */
  const submit = async (form: Record<string, string>) => {
    const response = await settings.action({
      request: new Request(`${APP_URL}/app/settings`, { method: "POST", headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` }, body: new URLSearchParams(form) }),
      params: {},
      context: {},
    });
    expect((response as Response).status ?? 200).toBe(200);
  };
  /** Saves the form, then runs the recompute it queued, as the worker would (as of AS_OF). */
  const save = async (form: Record<string, string>) => {
    await submit(form);
    await recompute(ctx, SHOP, { asOf: AS_OF });
    const current = await readCurrentAnalysis(app.db.prisma, SHOP);
    return current!.document.analysis;
  };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    settings = await app.load<SettingsModule>("~/routes/app.settings");
    recompute = (await app.load<typeof import("~/jobs/handlers/recompute")>("~/jobs/handlers/recompute")).recomputeShop;
    readCurrentAnalysis = (await app.load<typeof import("~/snapshots/read-analysis.server")>("~/snapshots/read-analysis.server")).readCurrentAnalysis;
    ctx = testSyncContext(app.db).ctx;
    await app.storeOfflineSession(SHOP);
    await app.db.prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "UTC", currencyCode: "EUR" } });
    // 80 customers, three orders each, gaps of 10–35 days, silences from half a gap to 3.6 gaps,
    // spend rising with the index; the first orders of some fall within the last 120 days.
    const orders: { shop: string; shopifyId: string; customerShopifyId: string; totalPrice: string; shopifyCreatedAt: Date }[] = [];
    for (let i = 0; i < 80; i++) {
      const gap = 10 + (i % 6) * 5;
      const silence = Math.round(gap * (0.5 + (i % 8) * 0.45));
      const customer = `gid://shopify/Customer/${1000 + i}`;
      await app.db.prisma.customer.create({ data: { shop: SHOP, shopifyId: customer, email: `c${i}@example.com` } });
      for (let k = 0; k < 3; k++) {
        const daysAgo = silence + (2 - k) * gap + (i % 3) * 40;
        orders.push({ shop: SHOP, shopifyId: `gid://shopify/Order/${i * 10 + k}`, customerShopifyId: customer, totalPrice: (10 * (i + 1)).toFixed(2), shopifyCreatedAt: new Date(AS_OF.getTime() - daysAgo * DAY) });
      }
    }
    await app.db.prisma.order.createMany({ data: orders });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("VIP share, lost factor, new-customer days and marketing spend each move their figures and nothing else", async () => {
    const base = await save(DEFAULTS);
    const vips = (a: typeof base) => a.groups.metrics.find((g) => g.group === "vip")!.customers;
    const groupCounts = (a: typeof base) => a.groups.metrics.map((g) => g.customers);

    const moreVips = await save({ ...DEFAULTS, vipSharePercent: "25" });
    expect(vips(moreVips)).toBeGreaterThan(vips(base));
    expect(moreVips.lifecycle).toEqual(base.lifecycle);

    const laterLost = await save({ ...DEFAULTS, lifecycleLostFactor: "3" });
    expect(laterLost.lifecycle.lost).toBeLessThan(base.lifecycle.lost);
    expect(groupCounts(laterLost)).toEqual(groupCounts(base));

    const longerNew = await save({ ...DEFAULTS, newCustomerDays: "120" });
    expect(longerNew.lifecycle.new).toBeGreaterThan(base.lifecycle.new);
    expect(groupCounts(longerNew)).toEqual(groupCounts(base));

    expect(base.metrics.figures.cac.value).toBeNull();
    const withSpend = await save({ ...DEFAULTS, monthlyMarketingSpend: "3000" });
    expect(withSpend.metrics.figures.cac.value).toBeGreaterThan(0);
    expect(withSpend.metrics.figures["ltv-cac"].value).toBeGreaterThan(0);
    expect(withSpend.lifecycle).toEqual(base.lifecycle);
    expect(groupCounts(withSpend)).toEqual(groupCounts(base));

    // The profiles follow the same settings: one per customer, VIPs as many as the figures say.
    const current = await readCurrentAnalysis(app.db.prisma, SHOP);
    await save({ ...DEFAULTS, vipSharePercent: "25" });
    const latest = await readCurrentAnalysis(app.db.prisma, SHOP);
    expect(latest!.snapshotId).toBeGreaterThan(current!.snapshotId);
    expect(await app.db.prisma.customerProfile.count({ where: { snapshotId: latest!.snapshotId, customerGroup: "vip" } })).toBe(vips(moreVips));
  });
  it("a save queues the recompute in the app's own job queue, whose worker stores the new figures", async () => {
    const before = (await readCurrentAnalysis(app.db.prisma, SHOP))!;
    const vipsOf = async (snapshotId: number) => app.db.prisma.customerProfile.count({ where: { snapshotId, customerGroup: "vip" } });
    await submit({ ...DEFAULTS, vipSharePercent: "40" });
    // The queue the route enqueued into (SQLite's job table or pg-boss), run by its worker; the
    // recompute handler analyses as of AS_OF (the store's day), every other kind does nothing.
    const { appContext } = await app.load<typeof import("~/services/sync.server")>("~/services/sync.server");
    const queue = appContext().jobs as JobQueue;
    const received: { kind: JobKind; shop: string; reason: unknown }[] = [];
    const handlers = Object.fromEntries(
      JOB_KINDS.map((kind): [JobKind, JobHandler] => [
        kind,
        async (job) => {
          received.push({ kind: job.kind, shop: job.shop, reason: job.payload.reason });
          if (kind === "recompute") await recompute(ctx, job.shop, { asOf: AS_OF });
        },
      ]),
    ) as Record<JobKind, JobHandler>;
    await queue.startWorker(handlers);
    try {
      await vi.waitFor(async () => expect((await readCurrentAnalysis(app.db.prisma, SHOP))!.snapshotId).toBeGreaterThan(before.snapshotId), { timeout: 30_000, interval: 200 });
    } finally {
      await queue.stopWorker();
    }
    expect(received).toContainEqual({ kind: "recompute", shop: SHOP, reason: "settings changed" });
    const after = (await readCurrentAnalysis(app.db.prisma, SHOP))!;
    expect(after.document.settings.vipShare).toBe(0.4);
    expect(await vipsOf(after.snapshotId)).toBeGreaterThan(await vipsOf(before.snapshotId));
  }, 60_000);
});
