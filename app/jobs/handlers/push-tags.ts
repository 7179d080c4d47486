import type { JobHandler } from "~/sync/jobs/job-queue";
import { runPushTagsJob, type PushJobPayload } from "~/tag-push/push-runner.server";
import type { JobDeps } from "../registry";

/** Pushes a segment's tag to Shopify, undoes it, or keeps its native segment (app/tag-push/). Dedupe key `segment-<id>`. */
export const pushTagsJob =
  (deps: JobDeps): JobHandler =>
  async ({ shop, payload, signal }) =>
    runPushTagsJob(
      { prisma: deps.context.prisma, dialect: deps.context.dialect, api: await deps.adminClient(shop), now: deps.context.now, signal },
      shop,
      payload as PushJobPayload,
    );
