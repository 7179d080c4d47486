import type { JobHandler } from "~/sync/jobs/job-queue";
import { applyPendingWebhooks } from "~/sync/webhooks/apply-pending-webhooks";
import type { JobDeps } from "../registry";

/** Applies the shop's recorded webhooks in order (app/sync/webhooks/). */
export const applyWebhooksJob =
  (deps: JobDeps): JobHandler =>
  async ({ shop, signal }) => {
    await applyPendingWebhooks(deps.context, shop, { signal });
  };
