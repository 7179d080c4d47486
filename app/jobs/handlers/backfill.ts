import { runBackfillStep } from "~/sync/bulk/backfill";
import type { JobHandler } from "~/sync/jobs/job-queue";
import type { JobDeps } from "../registry";

/** One step of the shop's bulk import (app/sync/bulk/backfill.ts): start, poll or import a stage. */
export const backfillJob =
  (deps: JobDeps): JobHandler =>
  ({ shop, signal }) =>
    runBackfillStep(deps.backfill, shop, signal);
