/**
 * When Shopify refuses a shop's offline access token (HTTP 401, or a refresh that keeps failing),
 * or none is stored, retrying a job cannot help: only a new token can, and an embedded app gets
 * one by token exchange the next time the shop opens it (shopify.server.ts, afterAuth). So a job that meets a refused token
 * forgets the stored session (left in place, it would keep being used: shopify-app-remix only
 * exchanges when it has none), fails without retries, and afterAuth resumes the shop's unfinished
 * tag pushes once the new token is stored (docs/decisions/066-renewing-refused-access.md).
 */
import { log } from "~/log.server";
import { AdminApiError } from "~/shopify/admin-api-client";
import { JobFailedPermanently, type JobHandler } from "~/sync/jobs/job-queue";
import type { SyncContext } from "~/sync/sync-context";

/** No offline access token is stored for the shop (never installed, uninstalled, or forgotten after a refusal). */
export class NoOfflineAccessError extends Error {
  constructor(shop: string) {
    super(`no offline access token for ${shop}: the app gets one when the shop opens it`);
    this.name = "NoOfflineAccessError";
  }
}

/**
 * Shopify did not renew the shop's expired offline token. shopify-app-remix reports any failed
 * refresh as a bare HTTP 500 response, a refused refresh token and a network failure alike, so
 * this counts as refused only once it persists (REFRESH_FAILURES_BEFORE_RENEWAL job attempts).
 */
export class OfflineTokenRefreshFailedError extends Error {
  constructor(shop: string) {
    super(`Shopify did not renew the expired offline access token of ${shop}`);
    this.name = "OfflineTokenRefreshFailedError";
  }
}

/** Attempts of one job, minutes apart (the queue's backoff), a failing refresh gets before its token counts as refused. */
export const REFRESH_FAILURES_BEFORE_RENEWAL = 3;

/** Whether `error`, at the job's `attempt`, means the shop's access must be renewed by opening the app. */
export function needsAccessRenewal(error: unknown, attempt: number): boolean {
  if (error instanceof OfflineTokenRefreshFailedError) return attempt >= REFRESH_FAILURES_BEFORE_RENEWAL;
  return (error instanceof AdminApiError && error.code === "UNAUTHORIZED") || error instanceof NoOfflineAccessError;
}

/** `handler`, except that a refused or missing token forgets the stored session and ends the job without retries. */
export function withAccessRenewal(context: Pick<SyncContext, "prisma">, handler: JobHandler): JobHandler {
  return async (job) => {
    try {
      return await handler(job);
    } catch (error) {
      if (!needsAccessRenewal(error, job.attempt)) throw error;
      const refused = !(error instanceof NoOfflineAccessError);
      const forgotten = refused ? (await context.prisma.session.deleteMany({ where: { shop: job.shop, isOnline: false } })).count : 0;
      log("warn", "shopify.access-refused", { shop: job.shop, kind: job.kind, sessionsForgotten: forgotten });
      throw new JobFailedPermanently(`Shopify refused the app's access token for ${job.shop}; the app renews it when the shop next opens it, and resumes then (${(error as Error).message})`);
    }
  };
}

/**
 * After token exchange stored a new token (afterAuth): the shop's tag pushes that were left
 * running go on (a push is resumable: it continues from its items' state). Returns how many.
 */
export async function resumeAfterAccessRenewed(context: Pick<SyncContext, "prisma" | "jobs">, shop: string): Promise<number> {
  const running = await context.prisma.tagPush.findMany({ where: { shop, status: "running" }, distinct: ["segmentId"], select: { segmentId: true } });
  for (const { segmentId } of running) await context.jobs.enqueue("push-tags", shop, { segmentId, mode: "resume" }, { key: `segment-${segmentId}` });
  return running.length;
}
