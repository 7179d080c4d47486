import { log } from "~/log.server";
import { refreshStaleProfiles } from "~/snapshots/refresh-profiles.server";
import type { JobHandler } from "~/sync/jobs/job-queue";
import type { SyncContext } from "~/sync/sync-context";

/** The per-order refresh job: rescores the shop's stale customers (refresh-profiles.server.ts), then their segments. */
export const refreshProfilesJob =
  (deps: { context: SyncContext }): JobHandler =>
  async ({ shop }) => {
    const result = await refreshStaleProfiles(deps.context, shop);
    if (result.rescored + result.removed === 0) return;
    log("info", "profiles.refreshed", { shop, ...result });
    // Segments follow the changed profiles (joins and leaves, and with automatic push the tags).
    await deps.context.jobs.enqueue("refresh-segments", shop);
  };
