/** What sync code needs from its surroundings: the database, its dialect, the job queue, a clock. */
import type { DatabaseConfig } from "../db/database-url";
import type { Database } from "../db.server";
import type { JobQueue } from "./jobs/job-queue";
import type { SqlDialect } from "./store/sql-dialect";

export interface SyncContext {
  prisma: Database;
  /** The database `prisma` talks to; bulk work opens its own connection to it (app/db/bulk-connections.server.ts). */
  database: DatabaseConfig;
  dialect: SqlDialect;
  jobs: Pick<JobQueue, "enqueue" | "cancelShopJobs">;
  now?: () => Date;
  /** SQLite only: the database file, for the backfill's native batch writer. */
  sqliteFile?: string;
}
