/**
 * The operator's view of the background work: per job kind, how many jobs wait, run and have
 * failed (on SQLite from the Job table, on PostgreSQL from pg-boss's table), the webhook
 * deliveries by status, and the deliveries this instance dropped for shops that are not
 * installed (shop-lifecycle.ts). Counts only: no shop's data, no payloads.
 */
import crypto from "node:crypto";
import { appContext } from "~/services/sync.server";
import { parseDatabaseUrl } from "~/db/database-url";
import { JOB_KINDS } from "~/sync/jobs/job-queue";
import { droppedDeliveryCounts } from "~/sync/webhooks/shop-lifecycle";

export interface QueueCounts {
  waiting: number;
  running: number;
  failed: number;
}

export interface QueueOverview {
  jobs: Record<string, QueueCounts>;
  webhooks: Record<string, number>;
  droppedDeliveries: Record<string, number>;
}

export async function getQueueOverview(): Promise<QueueOverview> {
  const jobs: Record<string, QueueCounts> = Object.fromEntries(JOB_KINDS.map((kind) => [kind, { waiting: 0, running: 0, failed: 0 }]));
  const bucket = (kind: string) => (jobs[kind] ??= { waiting: 0, running: 0, failed: 0 });
  if (parseDatabaseUrl(process.env.DATABASE_URL).dialect === "sqlite") {
    const rows = await appContext().prisma.job.groupBy({ by: ["kind", "status"], _count: { _all: true } });
    for (const row of rows) {
      const counts = bucket(row.kind);
      if (row.status === "queued") counts.waiting += row._count._all;
      else if (row.status === "running") counts.running += row._count._all;
      else if (row.status === "failed") counts.failed += row._count._all;
    }
  } else {
    const rows = await appContext().prisma
      .$queryRawUnsafe<{ name: string; state: string; n: bigint }[]>(`SELECT name, state::text AS state, count(*) AS n FROM pgboss.job GROUP BY name, state`)
      // pg-boss creates its schema when the first worker starts.
      .catch(() => []);
    for (const row of rows) {
      if (row.name.startsWith("__")) continue;
      const counts = bucket(row.name);
      if (row.state === "created" || row.state === "retry") counts.waiting += Number(row.n);
      else if (row.state === "active") counts.running += Number(row.n);
      else if (row.state === "failed") counts.failed += Number(row.n);
    }
  }
  const webhookRows = await appContext().prisma.webhookEvent.groupBy({ by: ["status"], _count: { _all: true } });
  const webhooks = Object.fromEntries(webhookRows.map((row) => [row.status, row._count._all]));
  return { jobs, webhooks, droppedDeliveries: droppedDeliveryCounts() };
}

/** True when `authorization` is `Bearer <OPS_TOKEN>`; never when OPS_TOKEN is unset. Constant-time. */
export function isOperator(authorization: string | null, opsToken = process.env.OPS_TOKEN): boolean {
  if (!opsToken || !authorization?.startsWith("Bearer ")) return false;
  const given = crypto.createHash("sha256").update(authorization.slice("Bearer ".length)).digest();
  const expected = crypto.createHash("sha256").update(opsToken).digest();
  return crypto.timingSafeEqual(given, expected);
}
