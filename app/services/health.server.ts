import { prisma } from "~/db.server";
import { parseDatabaseUrl } from "~/db/database-url";
import { sqliteBulkConnection } from "~/db/bulk-connections.server";
import { ensureProfileIndexes } from "~/snapshots/sqlite-profile-indexes";
import { buildMissingIndexes } from "~/sync/store/sqlite-batch-writer";
import { activeWorkers } from "~/sync/jobs/worker-registry";

export type DatabaseCheck = { ok: true } | { ok: false; message: string };

/**
 * Checks at server start that the configured database answers and has been migrated.
 *
 * Returns a one-line message naming DATABASE_URL instead of throwing, so the caller can stop
 * the server with that line rather than a driver stack trace.
 */
export async function checkDatabaseConnection(): Promise<DatabaseCheck> {
  try {
    await prisma.$queryRaw`SELECT 1`;
  } catch (error) {
    return { ok: false, message: `DATABASE_URL: cannot reach the database (${causeLine(error)})` };
  }
  try {
    // The Session table is the first thing authentication touches; without it every request fails.
    await prisma.session.count();
  } catch (error) {
    return {
      ok: false,
      message: `DATABASE_URL: the database answers but is not migrated; run \`npm run db -- migrate\` (${causeLine(error)})`,
    };
  }
  // A first import on SQLite writes without the order indexes and the search terms' index and
  // leaves them to the recompute it queues (sqlite-batch-writer.ts, decision 049); if the process
  // stopped before that recompute they are missing. Build them before serving.
  // Each generation of profiles also has its own sort indexes on SQLite (decision 050): a database
  // migrated before that gets them here, and loses the schema's whole-table ones.
  const sqlite = sqliteBulkConnection(parseDatabaseUrl(process.env.DATABASE_URL));
  if (sqlite) {
    await buildMissingIndexes(sqlite);
    await ensureProfileIndexes(sqlite);
  }
  return { ok: true };
}

/**
 * The informative line of a Prisma error. Prisma puts "Invalid `prisma.x()` invocation:" and a
 * code frame first and the cause last ("… Message: `Can't reach database server at …`").
 */
function causeLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const last = lines.at(-1) ?? "unknown error";
  const driverMessage = /Message: `(.*)`/.exec(last);
  return (driverMessage ? driverMessage[1] : last).slice(0, 300);
}

export interface Health {
  ok: boolean;
  database: { ok: boolean; latencyMs: number; error?: string };
  /**
   * The sync worker of this instance: `off` on a web-only instance (SYNC_WORKER=off), else
   * whether its queue is running and whether any job is overdue by more than
   * {@link OVERDUE_JOB_MS} (a worker that is running but not taking jobs).
   */
  worker: { state: "running" | "stopped" | "off"; overdueJobs: number | null };
}

/** A job this much past its start time means no worker takes jobs (they normally start within a second). */
export const OVERDUE_JOB_MS = 5 * 60_000;

/**
 * What the health endpoint (GET /healthz) reports: the database answers a query within 2 s,
 * and the worker runs and keeps up. Says nothing about any shop; no secrets.
 */
export async function getHealth(now = new Date()): Promise<Health> {
  const started = Date.now();
  let database: Health["database"];
  try {
    await Promise.race([
      prisma.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 2 s")), 2_000).unref()),
    ]);
    database = { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    database = { ok: false, latencyMs: Date.now() - started, error: causeLine(error) };
  }
  const queues = activeWorkers().filter((name) => name.startsWith("sqlite-job-queue") || name.startsWith("pg-boss-job-queue"));
  const state: Health["worker"]["state"] = process.env.SYNC_WORKER === "off" ? "off" : queues.length > 0 ? "running" : "stopped";
  let overdueJobs: number | null = null;
  if (state === "running" && database.ok) overdueJobs = await countOverdueJobs(new Date(now.getTime() - OVERDUE_JOB_MS)).catch(() => null);
  const workerOk = state === "off" || (state === "running" && !overdueJobs);
  return { ok: database.ok && workerOk, database, worker: { state, overdueJobs } };
}

async function countOverdueJobs(before: Date): Promise<number> {
  if (parseDatabaseUrl(process.env.DATABASE_URL).dialect === "sqlite") {
    return prisma.job.count({ where: { status: "queued", runAt: { lt: before } } });
  }
  const rows = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry') AND start_after < $1`,
    before,
  ).catch(() => [{ n: 0n }]);
  return Number(rows[0]?.n ?? 0);
}
