/**
 * Every kind of background job, one handler each (app/jobs/handlers/). Adding a kind is one
 * handler file and one line here (and its name in JOB_KINDS, which the queues create).
 */
import type { AdminApiClient } from "~/shopify/admin-api-client";
import type { BackfillDeps } from "~/sync/bulk/backfill";
import type { JobHandler, JobKind } from "~/sync/jobs/job-queue";
import type { SyncContext } from "~/sync/sync-context";
import { applyWebhooksJob } from "./handlers/apply-webhooks";
import { backfillJob } from "./handlers/backfill";
import { recomputeJob } from "./handlers/recompute";
import { pushTagsJob } from "./handlers/push-tags";
import { reconcileJob } from "./handlers/reconcile";
import { refreshProfilesJob } from "./handlers/refresh-profiles";
import { refreshSegmentsJob } from "./handlers/refresh-segments";
import { withAccessRenewal } from "./access-renewal";

/** What every handler may use: the context (database, dialect, queue, clock) and the Admin API. */
export interface JobDeps {
  context: SyncContext;
  adminClient: (shop: string) => Promise<AdminApiClient>;
  backfill: BackfillDeps;
}

export function jobHandlers(deps: JobDeps): Record<JobKind, JobHandler> {
  // The kinds that call the Admin API: a refused token ends them until the shop opens the app (access-renewal.ts).
  const admin = (handler: JobHandler) => withAccessRenewal(deps.context, handler);
  return {
    backfill: admin(backfillJob(deps)),
    "apply-webhook": applyWebhooksJob(deps),
    recompute: recomputeJob(deps),
    reconcile: admin(reconcileJob(deps)),
    "refresh-profiles": refreshProfilesJob(deps),
    "refresh-segments": refreshSegmentsJob(deps),
    "push-tags": admin(pushTagsJob(deps)),
  };
}
