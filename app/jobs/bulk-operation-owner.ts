/**
 * Shopify's `bulk_operations/finish` webhook names only the operation. Whoever waits for an
 * operation stored its id (a backfill's SyncRun, a tag push's TagPush), so the webhook wakes that
 * job and no other: a tag-push mutation must never be taken for the backfill's export. An export
 * the backfill started ahead of its stage (`SyncRun.exportsAhead`) wakes nothing: its stage reads
 * it when it comes.
 */
import type { Database } from "~/db.server";
import type { EnqueueOptions, JobKind } from "~/sync/jobs/job-queue";

export interface BulkOperationOwner {
  kind: JobKind;
  payload: Record<string, unknown>;
  options?: EnqueueOptions;
}

export async function jobOwningBulkOperation(prisma: Database, shop: string, operationId: string): Promise<BulkOperationOwner | null> {
  if (!operationId) return null;
  const run = await prisma.syncRun.findFirst({ where: { shop, bulkOperationId: operationId }, select: { kind: true } });
  if (run) return { kind: run.kind === "reconcile" ? "reconcile" : "backfill", payload: { wokenBy: operationId } };
  const push = await prisma.tagPush.findFirst({ where: { shop, bulkOperationId: operationId }, select: { segmentId: true } });
  // The push job's own key: one push per segment at a time, and this run continues it.
  if (push) return { kind: "push-tags", payload: { segmentId: push.segmentId, mode: "resume", wokenBy: operationId }, options: { key: `segment-${push.segmentId}` } };
  return null;
}
