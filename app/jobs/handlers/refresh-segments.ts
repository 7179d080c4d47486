/**
 * The refresh-segments job: every segment of the shop evaluated once against the current
 * analysis (app/segments/refresh-memberships.server.ts), then the tag push of segments with
 * automatic push queued. Queued by the recompute after each new analysis.
 */
import { log } from "~/log.server";
import { refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import type { JobHandler } from "~/sync/jobs/job-queue";
import type { SyncContext } from "~/sync/sync-context";

export const refreshSegmentsJob =
  (deps: { context: SyncContext }): JobHandler =>
  async ({ shop }) => {
    const refreshed = await refreshSegmentMemberships(deps.context, shop);
    log("info", "segments.refreshed", { shop, segments: refreshed.length });
  };
