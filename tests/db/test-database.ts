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
