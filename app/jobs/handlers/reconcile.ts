import type { JobHandler } from "~/sync/jobs/job-queue";
import { reconcileShop } from "~/sync/jobs/reconcile";
import type { JobDeps } from "../registry";

/** Re-reads changed orders and customers from the Admin API (missed or failed webhooks). */
export const reconcileJob =
  (deps: JobDeps): JobHandler =>
  async ({ shop, payload, signal }) => {
    await reconcileShop(deps.context, await deps.adminClient(shop), shop, payload as { orderIds?: string[]; customerIds?: string[] }, signal);
  };
