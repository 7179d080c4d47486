/**
 * The `push-tags` job (issue 11 items 5 and 6): a durable, resumable push of one segment's tag
 * to Shopify, its undo, and the segment's native Shopify segment.
 *
 * A push is planned once into TagPushItem rows (one per customer: add or remove) and then sent
 * until no item is pending; every step reads its state from those rows, so a worker killed at
 * any point resumes where the rows say and never re-sends an item that is done. Sending:
 * - a small remainder (≤ BULK_THRESHOLD items) goes as aliased tagsAdd/tagsRemove requests,
 *   each as large as half the shop's rate-limit bucket allows, waiting for room before each;
 * - a large one as a bulk mutation per action: stagedUploadsCreate → upload the JSONL →
 *   bulkOperationRunMutation; `bulk_operations/finish` (bulk-operation-owner.ts) or the next poll
 *   wakes the job, which reads the results by `__lineNumber`.
 * A per-customer userError is retried once; "not found" (the customer was deleted in Shopify
 * meanwhile) fails that customer at once and is reported, never the push.
 * Decision: docs/decisions/025-tag-push.md.
 */
import type { Database } from "~/db.server";
import type { AdminApiClient } from "~/shopify/admin-api-client";
import { downloadBulkResult, readBulkOperation, stageBulkMutationVariables, startBulkMutation } from "~/shopify/bulk-operation";
import {
  NATIVE_SEGMENT_CREATE,
  NATIVE_SEGMENT_DELETE,
  NATIVE_SEGMENT_UPDATE,
  TAG_MUTATION_COST,
  TAG_PUSH_ADD,
  TAG_PUSH_REMOVE,
  tagBatchDocument,
  type TagMutationResult,
} from "~/shopify/documents/tag-push";
import { jsonlTextLines } from "~/sync/bulk/jsonl-lines";
import { placeholder, type SqlDialect } from "~/sync/store/sql-dialect";
import { applySyncedTagChange, readTagHolders, readTagHoldersAmong } from "./synced-tags.server";
import { diffSegmentTags, segmentTag } from "./tag-diff";

/**
 * Up to this many items go as aliased mutations. At 10 points per tagsAdd a Standard shop
 * (100 points/s) sends about 10 customers a second, so 500 take under a minute; above that a
 * bulk mutation (outside the rate limit, a fixed cost of a few requests and a wait) is faster
 * and leaves the bucket to the rest of the app.
 */
export const BULK_THRESHOLD = 500;
/** Items in one aliased request at most (Shopify: input arrays ≤ 250; a query ≤ 1000 points). */
const MAX_BATCH = 90;
const ERROR_SAMPLE = 20;
/** How often a waiting push looks at its bulk operation when no webhook woke it. */
export const BULK_POLL_MS = 5_000;

export type PushJobPayload =
  | { segmentId: number; mode: "push"; startedBy?: string }
  | { segmentId: number; mode: "undo"; startedBy?: string }
  | { segmentId: number; mode: "delete"; removeTags?: boolean }
  | { segmentId: number; mode: "sync-native" }
  /** Sent by bulk_operations/finish: continue the running push, start nothing. */
  | { segmentId: number; mode: "resume" };

export interface PushDeps {
  prisma: Database;
  dialect: SqlDialect;
  api: AdminApiClient;
  now?: () => Date;
  /** For the staged upload (a plain HTTPS POST outside the Admin API). */
  fetch?: typeof globalThis.fetch;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
  bulkThreshold?: number;
}

export type PushOutcome = { retryAt: Date } | void;

type ItemStatus = "pending" | "sent" | "done" | "failed" | "skipped";

const isNotFound = (message: string) => /not found|does not exist|no longer exists/i.test(message);

/** The job's entry point: what the payload asks for, after finishing any push already running. */
export async function runPushTagsJob(deps: PushDeps, shop: string, payload: PushJobPayload): Promise<PushOutcome> {
  const segment = await deps.prisma.segment.findFirst({ where: { id: payload.segmentId, shop } });
  if (!segment) return;
  const running = await deps.prisma.tagPush.findFirst({ where: { shop, segmentId: segment.id, status: "running" }, orderBy: { id: "asc" } });
  if (running) {
    const outcome = await advancePush(deps, running.id);
    // An automatic push asked for while another ran (the queue folds the two into this run): the
    // changes since that push started still go out, now that it is done.
    if (outcome || !(payload.mode === "push" && payload.startedBy === "automatic")) return outcome;
  }

  switch (payload.mode) {
    case "resume":
      return;
    case "sync-native":
      await syncNativeSegment(deps, segment.id);
      return;
    case "delete":
      if (payload.removeTags) {
        const push = (await planPush(deps, shop, segment.id, "undo", null))!;
        return advancePush(deps, push.id);
      }
      await finishDeletion(deps, segment.id);
      return;
    case "push":
    case "undo": {
      const push = await planPush(deps, shop, segment.id, payload.mode, payload.startedBy ?? null);
      if (!push) return;
      return advancePush(deps, push.id);
    }
  }
}

/**
 * The dry run and the plan share this: the diff of the segment against Shopify's tags, for every
 * customer, or (`only`) for just these customers (an automatic push after a per-order refresh).
 */
export async function computeSegmentDiff(prisma: Database, dialect: SqlDialect, shop: string, segmentId: number, mode: "push" | "undo", only?: readonly string[]) {
  const segment = await prisma.segment.findFirstOrThrow({ where: { id: segmentId, shop } });
  const settings = await prisma.shopSettings.findUnique({ where: { shop }, select: { tagPrefix: true } });
  const prefix = settings?.tagPrefix ?? "ci-";
  const tagResult = segmentTag(prefix, segment.handle);
  if (!tagResult.ok) throw new Error(`The segment's handle cannot make a Shopify tag (${tagResult.reason}).`);
  const tag = tagResult.tag;
  const scopes = only ? chunked(only, 500) : [null];
  const members: { customerShopifyId: string; isControl: boolean; tags: string | null }[] = [];
  if (mode !== "undo") {
    for (const scope of scopes) {
      // Members with their synced tags in one read (a member not stored yet holds no tags).
      const rows = (await prisma.$queryRawUnsafe(
        `SELECT m."customerShopifyId", m."isControl", c."tags" FROM "SegmentMembership" m
           LEFT JOIN "Customer" c ON c."shop" = m."shop" AND c."shopifyId" = m."customerShopifyId"
          WHERE m."segmentId" = ${placeholder(dialect, 1)} AND m."shop" = ${placeholder(dialect, 2)}${scope ? ` AND m."customerShopifyId" IN (${scope.map((_, i) => placeholder(dialect, i + 3)).join(", ")})` : ""}`,
        segmentId,
        shop,
        ...(scope ?? []),
      )) as { customerShopifyId: string; isControl: boolean | number | bigint; tags: string | null }[];
      for (const m of rows) members.push({ customerShopifyId: m.customerShopifyId, isControl: Number(m.isControl) === 1, tags: m.tags });
    }
  }
  const holders = only ? await readTagHoldersAmong(prisma, shop, tag, only) : await readTagHolders(prisma, dialect, shop, tag);
  const memberTags = new Map<string, readonly string[]>();
  for (const m of members) if (m.tags && m.tags !== "[]" && !holders.has(m.customerShopifyId)) memberTags.set(m.customerShopifyId, JSON.parse(m.tags) as string[]);
  const diff = diffSegmentTags({
    tag,
    prefix,
    members,
    holders: holders.keys(),
    tagsOf: (id) => holders.get(id) ?? memberTags.get(id),
  });
  return { tag, diff };
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** How far back an automatic push re-checks changes before the last push started (a refresh's transaction, clock skew between instances). */
export const CHANGES_OVERLAP_MS = 60_000;

/**
 * Which customers an automatic push must look at: everyone after a full evaluation of the
 * segment (or when it never pushed, or its last push was an undo); otherwise only the customers
 * whose membership changed since its last push started (per-order refreshes). null: everyone.
 */
async function automaticPushScope(prisma: Database, segment: { id: number; membersAsOf: Date | null }): Promise<string[] | null> {
  const last = await prisma.tagPush.findFirst({ where: { segmentId: segment.id }, orderBy: { id: "desc" }, select: { mode: true, startedAt: true } });
  if (!last || last.mode !== "push" || !segment.membersAsOf || segment.membersAsOf >= last.startedAt) return null;
  const changes = await prisma.segmentMembershipChange.findMany({
    where: { segmentId: segment.id, at: { gte: new Date(last.startedAt.getTime() - CHANGES_OVERLAP_MS) } },
    select: { customerShopifyId: true },
    distinct: ["customerShopifyId"],
  });
  return changes.map((c) => c.customerShopifyId);
}

/** The push's plan; null for an automatic push after per-order changes that has nothing to send (no history row per order). */
async function planPush(deps: PushDeps, shop: string, segmentId: number, mode: "push" | "undo", startedBy: string | null) {
  const segment = await deps.prisma.segment.findFirstOrThrow({ where: { id: segmentId, shop }, select: { id: true, membersAsOf: true } });
  const only = mode === "push" && startedBy === "automatic" ? await automaticPushScope(deps.prisma, segment) : null;
  if (only && only.length === 0) return null;
  const { tag, diff } = await computeSegmentDiff(deps.prisma, deps.dialect, shop, segmentId, mode, only ?? undefined);
  if (only && diff.joiners.length + diff.leavers.length === 0) return null;
  const push = await deps.prisma.tagPush.create({
    data: { shop, segmentId, tag, mode, startedBy, startedAt: (deps.now ?? (() => new Date()))(), stage: "planning", total: diff.joiners.length + diff.leavers.length, overTagLimit: diff.overLimit.length },
  });
  const rows = [
    ...diff.joiners.map((customerShopifyId) => ({ customerShopifyId, action: "add" })),
    ...diff.leavers.map((customerShopifyId) => ({ customerShopifyId, action: "remove" })),
  ];
  await insertItems(deps, push.id, rows);
  return deps.prisma.tagPush.update({ where: { id: push.id }, data: { stage: "sending" } });
}

/** The plan's rows; on PostgreSQL as arrays through unnest (one statement per 20,000, not 20,000 bound rows). */
async function insertItems(deps: PushDeps, pushId: number, rows: { customerShopifyId: string; action: string }[]) {
  for (let i = 0; i < rows.length; i += 20_000) {
    const chunk = rows.slice(i, i + 20_000);
    if (deps.dialect === "postgresql") {
      await deps.prisma.$executeRawUnsafe(
        `INSERT INTO "TagPushItem" ("pushId", "customerShopifyId", "action") SELECT $1, * FROM unnest($2::text[], $3::text[])`,
        pushId,
        chunk.map((r) => r.customerShopifyId),
        chunk.map((r) => r.action),
      );
    } else {
      await deps.prisma.tagPushItem.createMany({ data: chunk.map((r) => ({ pushId, ...r })) });
    }
  }
}

async function advancePush(deps: PushDeps, pushId: number): Promise<PushOutcome> {
  const prisma = deps.prisma;
  const threshold = deps.bulkThreshold ?? BULK_THRESHOLD;
  for (;;) {
    deps.signal?.throwIfAborted();
    const push = await prisma.tagPush.findUniqueOrThrow({ where: { id: pushId } });
    if (push.stage === "planning") {
      // Killed while writing the plan: plan again from scratch (nothing was sent yet).
      await prisma.tagPushItem.deleteMany({ where: { pushId } });
      await prisma.tagPush.delete({ where: { id: pushId } });
      const fresh = await planPush(deps, push.shop, push.segmentId, push.mode as "push" | "undo", push.startedBy);
      return fresh ? advancePush(deps, fresh.id) : undefined;
    }
    if (push.bulkOperationId) {
      const waiting = await collectBulkResults(deps, push.id, push.bulkOperationId);
      if (waiting) return waiting;
      continue;
    }
    // Items marked sent without an operation id: killed between marking and starting. Send again.
    await prisma.tagPushItem.updateMany({ where: { pushId, status: "sent" }, data: { status: "pending" } });
    const pending = await prisma.tagPushItem.count({ where: { pushId, status: "pending" } });
    if (pending === 0) return completePush(deps, pushId);
    if (pending <= threshold) {
      await sendAliasedBatch(deps, pushId, push.tag);
      continue;
    }
    const action = (await prisma.tagPushItem.findFirst({ where: { pushId, status: "pending", action: "add" }, select: { action: true } })) ? "add" : "remove";
    const started = await sendAsBulkMutation(deps, push.id, push.shop, push.tag, action);
    if (started) return started;
  }
}

/** One aliased request of up to MAX_BATCH items of one action. */
async function sendAliasedBatch(deps: PushDeps, pushId: number, tag: string) {
  const prisma = deps.prisma;
  const first = await prisma.tagPushItem.findFirst({ where: { pushId, status: "pending" }, orderBy: [{ action: "asc" }, { customerShopifyId: "asc" }] });
  if (!first) return;
  const action = first.action as "add" | "remove";
  const status = deps.api.bucket.last;
  const budget = Math.min(1000, status ? status.maximumAvailable / 2 : 1000);
  const size = Math.max(1, Math.min(MAX_BATCH, Math.floor(budget / TAG_MUTATION_COST)));
  const items = await prisma.tagPushItem.findMany({ where: { pushId, status: "pending", action }, orderBy: { customerShopifyId: "asc" }, take: size });
  // Wait for room in the bucket ourselves: the batch's text changes with its size.
  const wait = deps.api.bucket.waitMsFor(items.length * TAG_MUTATION_COST, Date.now());
  if (wait > 0) await (deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(wait);
  const variables: Record<string, unknown> = { tags: [tag] };
  items.forEach((item, i) => (variables[`id${i}`] = item.customerShopifyId));
  const { data } = await deps.api.request(tagBatchDocument(action, items.length), variables, { signal: deps.signal });
  await recordResults(
    deps,
    pushId,
    items.map((item, i) => ({ item, result: data[`c${i}`] ?? { userErrors: [{ message: "Shopify returned no result" }] } })),
  );
}

/** Marks items done/failed/pending from Shopify's answers and updates counters and synced tags. */
async function recordResults(
  deps: PushDeps,
  pushId: number,
  results: { item: { customerShopifyId: string; action: string; attempts: number }; result: TagMutationResult | null }[],
) {
  const prisma = deps.prisma;
  const push = await prisma.tagPush.findUniqueOrThrow({ where: { id: pushId } });
  const at = (deps.now ?? (() => new Date()))();
  const done: Record<"add" | "remove", string[]> = { add: [], remove: [] };
  const errors = JSON.parse(push.errors) as { customerShopifyId: string; message: string }[];
  const changes: { id: string; status: ItemStatus; attempts: number; error: string | null }[] = [];
  for (const { item, result } of results) {
    const messages = result ? result.userErrors.map((e) => e.message) : ["Shopify returned no result"];
    if (messages.length === 0) {
      done[item.action as "add" | "remove"].push(item.customerShopifyId);
      continue;
    }
    const message = messages.join("; ");
    const attempts = item.attempts + 1;
    // Retried once; a customer Shopify no longer has is reported at once.
    const status: ItemStatus = isNotFound(message) || attempts >= 2 ? "failed" : "pending";
    changes.push({ id: item.customerShopifyId, status, attempts, error: message });
    if (status === "failed" && errors.length < ERROR_SAMPLE) errors.push({ customerShopifyId: item.customerShopifyId, message });
  }
  for (const action of ["add", "remove"] as const) {
    const ids = done[action];
    for (let i = 0; i < ids.length; i += 1_000) {
      await prisma.tagPushItem.updateMany({ where: { pushId, customerShopifyId: { in: ids.slice(i, i + 1_000) } }, data: { status: "done" } });
    }
    if (ids.length) await applySyncedTagChange(prisma, deps.dialect, push.shop, ids, action === "add" ? { add: [push.tag], at } : { remove: [push.tag], at });
  }
  for (const change of changes) {
    await prisma.tagPushItem.update({
      where: { pushId_customerShopifyId: { pushId, customerShopifyId: change.id } },
      data: { status: change.status, attempts: change.attempts, error: change.error },
    });
  }
  await refreshCounters(deps, pushId, { errors: JSON.stringify(errors) });
}

async function refreshCounters(deps: PushDeps, pushId: number, extra: { errors?: string; inFlight?: number } = {}) {
  const groups = await deps.prisma.tagPushItem.groupBy({ by: ["action", "status"], where: { pushId }, _count: { _all: true } });
  const count = (pred: (g: { action: string; status: string }) => boolean) => groups.filter(pred).reduce((n, g) => n + g._count._all, 0);
  const added = count((g) => g.action === "add" && g.status === "done");
  const removed = count((g) => g.action === "remove" && g.status === "done");
  const failed = count((g) => g.status === "failed");
  await deps.prisma.tagPush.update({
    where: { id: pushId },
    data: { added, removed, failed, done: added + removed + failed + (extra.inFlight ?? 0), ...(extra.errors ? { errors: extra.errors } : {}) },
  });
}

/** Pending items of one action, in the order their JSONL lines are written (line n = index n). */
async function itemsInLineOrder(prisma: Database, pushId: number, status: ItemStatus, action: string) {
  const items = await prisma.tagPushItem.findMany({ where: { pushId, status, action }, select: { customerShopifyId: true, action: true, attempts: true } });
  // Sorted here, not in SQL: the two databases collate text differently, the file must not.
  return items.sort((a, b) => (a.customerShopifyId < b.customerShopifyId ? -1 : a.customerShopifyId > b.customerShopifyId ? 1 : 0));
}

async function sendAsBulkMutation(deps: PushDeps, pushId: number, shop: string, tag: string, action: "add" | "remove"): Promise<PushOutcome | null> {
  const prisma = deps.prisma;
  const items = await itemsInLineOrder(prisma, pushId, "pending", action);
  const jsonl = buildTagJsonl(items.map((i) => i.customerShopifyId), tag);
  const staged = await stageBulkMutationVariables(deps.api, { name: `tag-push-${pushId}.jsonl`, jsonl }, { fetch: deps.fetch, signal: deps.signal });
  if ("refused" in staged) return failPush(deps, pushId, staged.refused);
  await prisma.tagPushItem.updateMany({ where: { pushId, status: "pending", action }, data: { status: "sent" } });
  const run = await startBulkMutation(
    deps.api,
    { mutation: (action === "add" ? TAG_PUSH_ADD : TAG_PUSH_REMOVE).toString(), stagedUploadPath: staged.stagedUploadPath, clientIdentifier: `tag-push-${pushId}` },
    { signal: deps.signal },
  );
  if (!("started" in run)) {
    await prisma.tagPushItem.updateMany({ where: { pushId, status: "sent" }, data: { status: "pending" } });
    if ("busy" in run) return { retryAt: new Date(Date.now() + BULK_POLL_MS) };
    return failPush(deps, pushId, run.refused);
  }
  await prisma.tagPush.update({ where: { id: pushId }, data: { bulkOperationId: run.started.id, stage: "waiting-for-bulk" } });
  return { retryAt: new Date(Date.now() + BULK_POLL_MS) };
}

/** One JSONL line of variables per customer: the bulk mutation's input file. */
export function buildTagJsonl(customerIds: readonly string[], tag: string): string {
  const tags = JSON.stringify([tag]);
  let out = "";
  for (const id of customerIds) out += `{"id":${JSON.stringify(id)},"tags":${tags}}\n`;
  return out;
}

async function collectBulkResults(deps: PushDeps, pushId: number, operationId: string): Promise<PushOutcome | null> {
  const prisma = deps.prisma;
  const state = await readBulkOperation(deps.api, operationId);
  const sentAction = (await prisma.tagPushItem.findFirst({ where: { pushId, status: "sent" }, select: { action: true } }))?.action ?? "add";
  if (state.state === "running") {
    // Progress moves while Shopify works: lines it has run count as in flight.
    await refreshCounters(deps, pushId, { inFlight: Number(state.operation.objectCount ?? 0) });
    return { retryAt: new Date(Date.now() + BULK_POLL_MS) };
  }
  const sent = await itemsInLineOrder(prisma, pushId, "sent", sentAction);
  let seen = 0;
  const url = state.state === "completed" ? state.resultUrl : state.state === "gone" ? null : (state.operation.partialDataUrl ?? state.operation.url ?? null);
  if (url) {
    const results: { item: (typeof sent)[number]; result: TagMutationResult | null }[] = [];
    for await (const text of jsonlTextLines(downloadBulkResult(url, deps.fetch))) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      const n = Number(line.__lineNumber);
      const item = sent[n];
      if (!item) continue;
      const data = line.data as Record<string, TagMutationResult | null> | undefined;
      const result = data ? (data.tagsAdd ?? data.tagsRemove ?? null) : null;
      const errors = (line.errors as { message: string }[] | undefined) ?? [];
      results.push({ item, result: result ?? { userErrors: errors.length ? errors : [{ message: "Shopify returned no result" }] } });
      seen++;
      if (results.length >= 2_000) await recordResults(deps, pushId, results.splice(0));
    }
    if (results.length) await recordResults(deps, pushId, results);
  }
  // Lines Shopify never ran (the operation failed midway) go out again; those it ran do not.
  await prisma.tagPushItem.updateMany({ where: { pushId, status: "sent" }, data: { status: "pending" } });
  if (state.state === "failed" && state.errorCode === "ACCESS_DENIED") {
    return failPush(deps, pushId, "Shopify refused the bulk mutation (ACCESS_DENIED): the app needs the write_customers scope.");
  }
  const failedWithoutProgress = state.state !== "completed" && seen === 0;
  const before = await prisma.tagPush.findUniqueOrThrow({ where: { id: pushId }, select: { error: true } });
  // Two operations in a row that ran nothing: stop rather than loop.
  if (failedWithoutProgress && before.error?.startsWith("bulk operation")) {
    await prisma.tagPush.update({ where: { id: pushId }, data: { bulkOperationId: null } });
    return failPush(deps, pushId, `bulk operation ${state.state} twice without running a line`);
  }
  await prisma.tagPush.update({
    where: { id: pushId },
    data: { bulkOperationId: null, stage: "sending", error: failedWithoutProgress ? `bulk operation ${state.state}` : null },
  });
  return null;
}

async function failPush(deps: PushDeps, pushId: number, error: string): Promise<void> {
  await refreshCounters(deps, pushId);
  await deps.prisma.tagPush.update({ where: { id: pushId }, data: { status: "failed", stage: null, error, finishedAt: (deps.now ?? (() => new Date()))() } });
}

async function completePush(deps: PushDeps, pushId: number): Promise<void> {
  const prisma = deps.prisma;
  const now = (deps.now ?? (() => new Date()))();
  await refreshCounters(deps, pushId);
  const push = await prisma.tagPush.update({ where: { id: pushId }, data: { status: "completed", stage: null, error: null, finishedAt: now } });
  const segment = await prisma.segment.findUniqueOrThrow({ where: { id: push.segmentId } });
  if (push.mode === "push") {
    await prisma.segment.update({ where: { id: segment.id }, data: { firstPushedAt: segment.firstPushedAt ?? now, lastPushedAt: now } });
    if (!segment.shopifySegmentId) await createNativeSegment(deps, segment.id, segment.name, push.tag);
  }
  if (push.mode === "undo" && segment.deletingAt) await finishDeletion(deps, segment.id);
}

/** The ShopifyQL query of a segment's native segment. */
export function nativeSegmentQuery(tag: string): string {
  return `customer_tags CONTAINS '${tag.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

async function createNativeSegment(deps: PushDeps, segmentId: number, name: string, tag: string) {
  // Names are unique in the shop: when the merchant already has one of that name, add the tag.
  for (const candidate of [name, `${name} (${tag})`]) {
    const { data } = await deps.api.request(NATIVE_SEGMENT_CREATE, { name: candidate, query: nativeSegmentQuery(tag) }, { signal: deps.signal });
    const created = data.segmentCreate?.segment;
    if (created) {
      await deps.prisma.segment.update({ where: { id: segmentId }, data: { shopifySegmentId: created.id } });
      return;
    }
  }
}

async function syncNativeSegment(deps: PushDeps, segmentId: number) {
  const segment = await deps.prisma.segment.findUniqueOrThrow({ where: { id: segmentId } });
  if (!segment.shopifySegmentId) return;
  const { data } = await deps.api.request(NATIVE_SEGMENT_UPDATE, { id: segment.shopifySegmentId, name: segment.name, query: null }, { signal: deps.signal });
  const error = data.segmentUpdate?.userErrors[0];
  // Shopify forgot it (deleted in the admin): it is created again at the next push.
  if (error && isNotFound(error.message)) await deps.prisma.segment.update({ where: { id: segmentId }, data: { shopifySegmentId: null } });
}

async function finishDeletion(deps: PushDeps, segmentId: number) {
  const segment = await deps.prisma.segment.findUniqueOrThrow({ where: { id: segmentId } });
  if (segment.shopifySegmentId) await deps.api.request(NATIVE_SEGMENT_DELETE, { id: segment.shopifySegmentId }, { signal: deps.signal });
  await deps.prisma.segment.delete({ where: { id: segmentId } });
}
