/**
 * The apply-webhook job: applies a shop's pending WebhookEvent rows in the order they were
 * received. A row is marked `applied` (or `failed` after repeated errors, with the error kept
 * in `lastError`); a duplicate delivery was already dropped at intake by the unique
 * (shop, webhookId) index, so each delivery applies once.
 */
import { RecordFormatError } from "../records/record-rows";
import type { SyncContext } from "../sync-context";
import { applyWebhookEvent, normaliseTopic } from "./apply-webhook";
import { eraseRedactedRemnants } from "../privacy/privacy";
import { markProfilesStale } from "../../snapshots/refresh-profiles.server";
import { logInfo, logWarn } from "../../log.server";
import { AWAITING_INSTALL, deliveryAdmission, DROPPED, HOLD_FOR_INSTALL_MS, lifecycleOf, noteDroppedDelivery, type ShopLifecycle } from "./shop-lifecycle";

/** What a dropped delivery keeps of its payload: nothing. */
const DROPPED_PAYLOAD = '{"dropped":true}';

/** Attempts before a webhook is given up as failed (a reconcile heals what it would have changed). */
export const MAX_WEBHOOK_ATTEMPTS = 5;
/** Debounce window for the store-level refit after a burst of webhooks. */
export const RECOMPUTE_DEBOUNCE_MS = 60_000;
export const RECOMPUTE_MAX_DELAY_MS = 10 * 60_000;
/**
 * Share of the analysed orders that must have changed since the last fit before the webhooks
 * ask for a refit: each order's own customer is rescored within seconds by the per-order refresh
 * (refresh-profiles.server.ts); the store-level model, quintiles and KPIs move with many orders,
 * and are refitted nightly and on settings changes anyway.
 */
export const REFIT_CHANGED_ORDER_SHARE = 0.05;

export interface ApplyPendingResult {
  applied: number;
  failed: number;
  retrying: number;
  /** Dropped because the shop is not installed (shop-lifecycle.ts). */
  dropped: number;
  /** Held until the shop's install completes. */
  held: number;
}

export async function applyPendingWebhooks(ctx: SyncContext, shop: string, options: { limit?: number; signal?: AbortSignal } = {}): Promise<ApplyPendingResult> {
  const limit = options.limit ?? 500;
  const result: ApplyPendingResult = { applied: 0, failed: 0, retrying: 0, dropped: 0, held: 0 };
  let recompute = false;
  const profilesChanged = new Set<string | null>();
  let redacted: "customer" | "shop" | null = null;
  const events = await ctx.prisma.webhookEvent.findMany({
    where: { shop, status: "pending" },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, shop: true, topic: true, payload: true, triggeredAt: true, receivedAt: true, attempts: true },
  });
  // Read once, then followed through the batch: an app/uninstalled or shop/redact in it changes what comes after.
  let state: ShopLifecycle = events.length ? lifecycleOf((await ctx.prisma.shop.findUnique({ where: { shop }, select: { installState: true } }))?.installState) : "unknown";
  for (const event of events) {
    if (options.signal?.aborted) break;
    const now = ctx.now?.() ?? new Date();
    const topic = normaliseTopic(event.topic);
    let admission = deliveryAdmission(state, topic, "apply");
    if (admission === "hold" && now.getTime() - event.receivedAt.getTime() > HOLD_FOR_INSTALL_MS) admission = "drop";
    if (admission === "hold") {
      await ctx.prisma.webhookEvent.updateMany({ where: { id: event.id, status: "pending" }, data: { status: AWAITING_INSTALL } });
      result.held++;
      continue;
    }
    if (admission === "drop") {
      await ctx.prisma.webhookEvent.updateMany({ where: { id: event.id }, data: { status: DROPPED, payload: DROPPED_PAYLOAD, appliedAt: now } });
      noteDroppedDelivery({ shop, topic, state, stage: "apply" });
      result.dropped++;
      continue;
    }
    try {
      const effects = await applyWebhookEvent(ctx, event);
      recompute ||= effects.recompute;
      for (const id of effects.profilesChanged ?? []) profilesChanged.add(id);
      // A late event about a redacted customer must not keep their data in its stored payload.
      const aboutRedacted = effects.customerShopifyId
        ? await ctx.prisma.customer.findFirst({ where: { shop, shopifyId: effects.customerShopifyId, redactedAt: { not: null } }, select: { id: true } })
        : null;
      if (aboutRedacted) await ctx.prisma.webhookEvent.updateMany({ where: { id: event.id }, data: { payload: '{"redacted":true}' } });
      if (topic === "APP_UNINSTALLED") state = "uninstalled";
      if (topic === "SHOP_REDACT") state = "redacted";
      if (topic === "SHOP_REDACT") redacted = "shop";
      else if (topic === "CUSTOMERS_REDACT" || aboutRedacted) redacted ??= "customer";
      // A shop/redact deleted this row with the rest of the shop.
      await ctx.prisma.webhookEvent.updateMany({
        where: { id: event.id },
        data: { status: "applied", appliedAt: now, attempts: { increment: 1 }, lastError: null },
      });
      result.applied++;
    } catch (error) {
      const permanent = error instanceof RecordFormatError || event.attempts + 1 >= MAX_WEBHOOK_ATTEMPTS;
      await ctx.prisma.webhookEvent.updateMany({
        where: { id: event.id },
        data: { status: permanent ? "failed" : "pending", attempts: { increment: 1 }, lastError: String((error as Error).message ?? error).slice(0, 1000) },
      });
      if (permanent) result.failed++;
      else result.retrying++;
    }
  }
  if (redacted) {
    const erased = await eraseRedactedRemnants(ctx, redacted);
    if (erased.complete) logInfo("privacy.erased", { shop, dialect: ctx.dialect });
    else logWarn("privacy.erase-incomplete", { shop, dialect: ctx.dialect, reason: "WAL checkpoint kept waiting for readers; the next redaction retries it" });
  }
  // Nothing is written for a shop that was uninstalled or redacted in this batch.
  if (state === "installed") await markProfilesStale(ctx, shop, profilesChanged);
  if (recompute && (await refitDue(ctx, shop))) {
    const now = ctx.now?.() ?? new Date();
    await ctx.jobs.enqueue("recompute", shop, {}, { runAt: new Date(now.getTime() + RECOMPUTE_DEBOUNCE_MS), debounce: { maxDelayMs: RECOMPUTE_MAX_DELAY_MS } });
  }
  if (events.length === limit) await ctx.jobs.enqueue("apply-webhook", shop, {});
  else if (result.retrying > 0) {
    const now = ctx.now?.() ?? new Date();
    await ctx.jobs.enqueue("apply-webhook", shop, {}, { runAt: new Date(now.getTime() + 5_000) });
  }
  return result;
}

/** Whether the webhooks applied since the last analysis changed enough orders to refit the store. */
async function refitDue(ctx: SyncContext, shop: string): Promise<boolean> {
  const fitted = await ctx.prisma.analysisSnapshot.findFirst({
    where: { shop, completedAt: { not: null } },
    orderBy: { id: "desc" },
    select: { createdAt: true, orders: true },
  });
  if (!fitted) return true;
  const changed = await ctx.prisma.order.count({ where: { shop, syncedAt: { gt: fitted.createdAt } } });
  return changed >= Math.max(1, REFIT_CHANGED_ORDER_SHARE * fitted.orders);
}

/**
 * Held deliveries (for a shop whose install had not completed) that waited longer than
 * HOLD_FOR_INSTALL_MS: the shop never installed, so they are dropped, payload and all.
 * Called by the periodic sweep.
 */
export async function dropExpiredHeldWebhooks(ctx: Pick<SyncContext, "prisma" | "now">): Promise<number> {
  const now = ctx.now?.() ?? new Date();
  const expired = await ctx.prisma.webhookEvent.findMany({
    where: { status: AWAITING_INSTALL, receivedAt: { lt: new Date(now.getTime() - HOLD_FOR_INSTALL_MS) } },
    select: { id: true, shop: true, topic: true },
    take: 1000,
  });
  for (const event of expired) {
    await ctx.prisma.webhookEvent.updateMany({ where: { id: event.id, status: AWAITING_INSTALL }, data: { status: DROPPED, payload: DROPPED_PAYLOAD, appliedAt: now } });
    noteDroppedDelivery({ shop: event.shop, topic: normaliseTopic(event.topic), state: "unknown", stage: "apply" });
  }
  return expired.length;
}
