/**
 * A shop runs one bulk query and one bulk mutation at a time, and Shopify's
 * `bulk_operations/finish` webhook names only the operation. Whoever started an operation
 * stored its id (a backfill's SyncRun today, a tag push's TagPush next), so the webhook wakes
 * that job and no other: a tag-push mutation must never be taken for the backfill's export.
 */
import type { Database } from "~/db.server";
import type { JobKind } from "~/sync/jobs/job-queue";

export async function jobOwningBulkOperation(prisma: Database, shop: string, operationId: string): Promise<JobKind | null> {
  if (!operationId) return null;
  const run = await prisma.syncRun.findFirst({ where: { shop, bulkOperationId: operationId }, select: { kind: true } });
  if (run) return run.kind === "reconcile" ? "reconcile" : "backfill";
  return null;
}
