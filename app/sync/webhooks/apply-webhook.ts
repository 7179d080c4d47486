/**
 * Applies one recorded webhook (WebhookEvent row) to the shop's data. Every topic is applied
 * idempotently and commutatively enough that duplicates, delays and reordering converge to the
 * state in-order delivery gives:
 * - records are upserted with the stale-write guard (older `updated_at` never wins);
 * - an order may arrive before its customer: orders only name the customer's gid, there is no
 *   foreign key, and the customer row is filled when its own event or the reconcile arrives;
 * - deletes are tombstones (`deletedAt`), so a late create cannot resurrect a deleted order.
 * The shop always comes from the verified delivery (the row's `shop`), never from the payload:
 * a webhook for shop A cannot touch shop B's rows.
 */
import { log } from "../../log.server";
import { parseJsonLossless } from "../records/lossless-json";
import { customerRowFromPayload, gidOf, numericToGid, orderFromPayload, refundFromPayload } from "../records/from-webhook";
import { RecordFormatError } from "../records/record-rows";
import { applyRefund, setCustomerTags, upsertCustomers, upsertOrders } from "../store/record-writer";
import type { SyncContext } from "../sync-context";
import { startBackfillRun } from "../bulk/backfill";
import { jobOwningBulkOperation } from "../../jobs/bulk-operation-owner";
import { collectCustomerData, handleUninstall, redactCustomer, redactShop } from "../privacy/privacy";

type Json = Record<string, unknown>;

export interface WebhookEventRow {
  id: number;
  shop: string;
  topic: string;
  payload: string;
  triggeredAt: Date | null;
  receivedAt: Date;
}

/** What applying asks the caller to do next. */
export interface ApplyEffects {
  recompute: boolean;
  /** The customer the payload carries personal data of, if any (scrubbed if that customer is redacted). */
  customerShopifyId?: string | null;
  /** Customers whose stored profile this change may alter (rescored by the per-order refresh). */
  profilesChanged?: (string | null)[];
}

/** Topics as shopify-app-remix normalises them (ORDERS_CREATE) or as Shopify sends them (orders/create). */
export function normaliseTopic(topic: string): string {
  return topic.trim().toUpperCase().replace(/[/.]/g, "_");
}

export async function applyWebhookEvent(ctx: SyncContext, event: WebhookEventRow): Promise<ApplyEffects> {
  const topic = normaliseTopic(event.topic);
  const payload = parsePayload(event.payload);
  const now = ctx.now?.() ?? new Date();
  const shop = event.shop;
  switch (topic) {
    case "ORDERS_CREATE":
    case "ORDERS_UPDATED":
    case "ORDERS_CANCELLED":
    case "ORDERS_EDITED": {
      const order = orderFromPayload(payload);
      // An order moved to another customer changes both profiles.
      const previousCustomer = await ctx.prisma.$transaction(async (tx) => {
        const stored = await tx.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: order.order.shopifyId } }, select: { deletedAt: true, customerShopifyId: true } });
        if (stored?.deletedAt) return null;
        await upsertOrders({ db: tx, dialect: ctx.dialect }, shop, [order], now);
        return stored?.customerShopifyId ?? null;
      });
      return { recompute: true, customerShopifyId: order.order.customerShopifyId, profilesChanged: [order.order.customerShopifyId, previousCustomer] };
    }
    case "ORDERS_DELETE": {
      const shopifyId = gidOf(payload, "Order");
      const customerOfOrder = await ctx.prisma.$transaction(async (tx) => {
        const stored = await tx.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId } }, select: { customerShopifyId: true } });
        const updated = await tx.order.updateMany({ where: { shop, shopifyId }, data: { deletedAt: now } });
        if (updated.count === 0) {
          // Deleted before we saw it: a tombstone keeps a late orders/create from adding it.
          await tx.order.create({ data: { shop, shopifyId, totalPrice: "0", shopifyCreatedAt: new Date(0), deletedAt: now } });
        }
        return stored?.customerShopifyId ?? null;
      });
      return { recompute: true, profilesChanged: [customerOfOrder] };
    }
    case "REFUNDS_CREATE": {
      // The refund comes off the stored order at once (revenue must not wait for a slow or
      // throttled Admin API); the re-read of the order (reconcile by id) still heals what the
      // payload cannot say exactly. orders/updated usually follows too.
      const refund = refundFromPayload(payload);
      const applied = await ctx.prisma.$transaction((tx) => applyRefund(tx, shop, refund, now));
      await ctx.jobs.enqueue("reconcile", shop, { orderIds: [refund.orderShopifyId] }, { key: `order:${refund.orderShopifyId}` });
      const refunded = applied ? await ctx.prisma.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: refund.orderShopifyId } }, select: { customerShopifyId: true } }) : null;
      return { recompute: applied, profilesChanged: [refunded?.customerShopifyId ?? null] };
    }
    case "CUSTOMERS_CREATE":
    case "CUSTOMERS_UPDATE":
    case "CUSTOMERS_ENABLE":
    case "CUSTOMERS_DISABLE": {
      const row = customerRowFromPayload(payload);
      await ctx.prisma.$transaction((tx) => upsertCustomers({ db: tx, dialect: ctx.dialect }, shop, [row], now));
      // A profile needs its customer's record: an order that arrived first is scored once it is here.
      return { recompute: true, customerShopifyId: row.shopifyId, profilesChanged: [row.shopifyId] };
    }
    case "CUSTOMERS_DELETE": {
      const shopifyId = gidOf(payload, "Customer");
      await ctx.prisma.customer.updateMany({ where: { shop, shopifyId }, data: { deletedAt: now } });
      return { recompute: true, profilesChanged: [shopifyId] };
    }
    case "CUSTOMERS_MERGE": {
      const kept = requireCustomerGid(payload.admin_graphql_api_customer_kept_id ?? payload.customer_kept_id, "admin_graphql_api_customer_kept_id");
      const removed = requireCustomerGid(payload.admin_graphql_api_customer_deleted_id ?? payload.customer_deleted_id, "admin_graphql_api_customer_deleted_id");
      await ctx.prisma.$transaction(async (tx) => {
        await tx.order.updateMany({ where: { shop, customerShopifyId: removed }, data: { customerShopifyId: kept } });
        await tx.customer.updateMany({ where: { shop, shopifyId: removed }, data: { deletedAt: now } });
      });
      return { recompute: true, profilesChanged: [kept, removed] };
    }
    case "CUSTOMER_TAGS_ADDED":
    case "CUSTOMER_TAGS_REMOVED": {
      const customerId = requireCustomerGid(payload.customerId ?? payload.customer_id ?? payload.admin_graphql_api_id, "customerId");
      const tags = Array.isArray(payload.tags) ? payload.tags.map(String) : [];
      // Ordered by when the change happened at Shopify, not by when it was delivered.
      const at = event.triggeredAt;
      const change = topic === "CUSTOMER_TAGS_ADDED" ? { add: tags, at } : { remove: tags, at };
      const { changed } = await ctx.prisma.$transaction((tx) => setCustomerTags({ db: tx, dialect: ctx.dialect }, shop, customerId, change));
      // A real change moves the customer's "has tag" segments (through the per-order refresh,
      // which refreshes segments after it); the echo of our own push changes nothing, so it
      // cannot start another push.
      return { recompute: false, profilesChanged: changed ? [customerId] : [] };
    }
    case "BULK_OPERATIONS_FINISH": {
      // The job that started the operation reads its status itself; this only wakes it now instead of at its next poll.
      const operationId = String(payload.admin_graphql_api_id ?? "");
      const owner = await jobOwningBulkOperation(ctx.prisma, shop, operationId);
      if (owner) await ctx.jobs.enqueue(owner.kind, shop, owner.payload, owner.options);
      // Usually the job already read the result by polling, or has not yet stored the id it was given.
      else log("info", "bulk-operation.finish-unowned", { shop, operationId });
      return { recompute: false };
    }
    case "APP_UNINSTALLED": {
      await handleUninstall(ctx, shop, now);
      return { recompute: false };
    }
    case "APP_SCOPES_UPDATE": {
      const current = Array.isArray(payload.current) ? payload.current.map(String) : String(payload.current ?? "").split(",");
      const scopes = [...new Set(current.map((s) => s.trim()).filter(Boolean))].sort();
      const hasAllOrdersAccess = scopes.includes("read_all_orders");
      const before = await ctx.prisma.shop.findUnique({ where: { shop }, select: { hasAllOrdersAccess: true } });
      await ctx.prisma.shop.updateMany({ where: { shop }, data: { grantedScopes: scopes.join(","), hasAllOrdersAccess } });
      if (before && !before.hasAllOrdersAccess && hasAllOrdersAccess) {
        // Older orders just became readable: import them.
        await startBackfillRun(ctx, shop, { force: true });
        await ctx.jobs.enqueue("backfill", shop, { reason: "read_all_orders granted" });
      }
      return { recompute: false };
    }
    case "CUSTOMERS_DATA_REQUEST": {
      const customer = (payload.customer ?? {}) as Json;
      const customerShopifyId = customer.admin_graphql_api_id != null ? gidOf(customer, "Customer") : numericToGid(customer.id, "customer.id", "Customer");
      await ctx.prisma.$transaction(async (tx) => {
        const result = await collectCustomerData(tx, shop, customerShopifyId);
        await tx.complianceRequest.create({
          data: { shop, topic: "customers/data_request", customerShopifyId, payload: event.payload, result, completedAt: now },
        });
      });
      return { recompute: false };
    }
    case "CUSTOMERS_REDACT": {
      const customer = (payload.customer ?? {}) as Json;
      const customerShopifyId = customer.admin_graphql_api_id != null ? gidOf(customer, "Customer") : numericToGid(customer.id, "customer.id", "Customer");
      const emails = typeof customer.email === "string" ? [customer.email] : [];
      await ctx.prisma.$transaction(async (tx) => {
        await redactCustomer(tx, shop, customerShopifyId, emails, now);
        // Keep an audit row without the personal data the request itself carried.
        await tx.complianceRequest.create({
          data: { shop, topic: "customers/redact", customerShopifyId, payload: '{"redacted":true}', completedAt: now },
        });
        await tx.webhookEvent.update({ where: { id: event.id }, data: { payload: '{"redacted":true}' } });
      });
      return { recompute: true };
    }
    case "SHOP_REDACT": {
      await redactShop(ctx, shop, now);
      return { recompute: false };
    }
    default:
      throw new RecordFormatError("topic", `no handler for webhook topic ${event.topic}`);
  }
}

function parsePayload(text: string): Json {
  let value: unknown;
  try {
    value = parseJsonLossless(text);
  } catch (error) {
    throw new RecordFormatError("payload", `not valid JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new RecordFormatError("payload", "expected a JSON object");
  return value as Json;
}

function requireCustomerGid(value: unknown, field: string): string {
  if (typeof value === "string" && value.startsWith("gid://")) return value;
  return numericToGid(value, field, "Customer");
}
