import { log } from "~/log.server";
import { enqueueAutomaticPushes } from "~/segments/refresh-memberships.server";
import { refreshStaleProfiles } from "~/snapshots/refresh-profiles.server";
import type { JobHandler } from "~/sync/jobs/job-queue";
import type { SyncContext } from "~/sync/sync-context";

/**
 * The per-order refresh job: rescores the shop's stale customers and re-evaluates their segment
 * memberships (refresh-profiles.server.ts), then queues the tag push of segments with automatic
 * push whose members changed (only those customers are diffed: push-runner.server.ts). The full
 * evaluation of every segment stays with the recompute (refresh-segments).
 */
export const refreshProfilesJob =
  (deps: { context: SyncContext }): JobHandler =>
  async ({ shop }) => {
    const result = await refreshStaleProfiles(deps.context, shop);
    if (result.rescored + result.removed > 0) log("info", "profiles.refreshed", { shop, ...result });
    // Also after a run that found nothing to do: a retry after a crash between commit and queueing still pushes.
    await enqueueAutomaticPushes(deps.context, shop);
  };
