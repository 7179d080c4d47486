/**
 * Fresh, migrated databases for tests: a temp SQLite file, or a new PostgreSQL database on the
 * local server (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
 * Each call returns its own database, so test files can run in parallel.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import { createPrismaClient, type Database } from "../../app/db.server";
import { parseDatabaseUrl, type DatabaseConfig } from "../../app/db/database-url";
import type { EnqueueOptions, JobKind } from "../../app/sync/jobs/job-queue";
import type { SyncContext } from "../../app/sync/sync-context";
import { migrate } from "../../scripts/db/cli";

export type Dialect = "sqlite" | "postgresql";

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Dialects to test: SQLite always; PostgreSQL unless TEST_POSTGRES=0. */
export const TEST_DIALECTS: Dialect[] = process.env.TEST_POSTGRES === "0" ? ["sqlite"] : ["sqlite", "postgresql"];

export interface TestDatabase {
  config: DatabaseConfig;
  prisma: Database;
  /** Closes the client and deletes the database. */
  drop(): Promise<void>;
}

export async function createEmptyDatabase(dialect: Dialect): Promise<{ config: DatabaseConfig; drop: () => Promise<void> }> {
  const name = `ci_test_${crypto.randomBytes(6).toString("hex")}`;
  if (dialect === "sqlite") {
    const file = path.join(os.tmpdir(), `${name}.sqlite`);
    return {
      config: parseDatabaseUrl(`file:${file}`),
      drop: async () => {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: parseDatabaseUrl(url.toString()),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(dialect);
  await migrate(empty.config);
  const prisma = createPrismaClient(empty.config);
  return {
    config: empty.config,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await empty.drop();
    },
  };
}

/** One `enqueue` call a test's job queue received: its arguments, the options spread in. */
export type QueuedJob = { kind: JobKind; shop: string; payload: Record<string, unknown> } & EnqueueOptions;

/**
 * A SyncContext over a test database whose job queue only records what it is asked: tests read
 * `queued` to check what a service queued (kind, shop, payload, key, runAt) instead of running a
 * worker, and run a queued job themselves where they need its effect. `cancelShopJobs` does
 * nothing. The dialect is the database's.
 */
export function testSyncContext(db: Pick<TestDatabase, "prisma" | "config">, options: { now?: () => Date; sqliteFile?: string } = {}): { ctx: SyncContext; queued: QueuedJob[] } {
  const queued: QueuedJob[] = [];
  const ctx: SyncContext = {
    prisma: db.prisma,
    database: db.config,
    dialect: db.config.dialect,
    jobs: {
      enqueue: async (kind, shop, payload, enqueueOptions) => void queued.push({ kind, shop, payload: payload ?? {}, ...enqueueOptions }),
      cancelShopJobs: async () => {},
    },
    ...(options.now ? { now: options.now } : {}),
    ...(options.sqliteFile ? { sqliteFile: options.sqliteFile } : {}),
  };
  return { ctx, queued };
}
