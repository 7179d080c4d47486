/**
 * The Prisma 7 driver adapter for a database config. Prisma 7's client has no Rust engine:
 * it talks to the database through these adapters (better-sqlite3 for SQLite, pg for
 * PostgreSQL). The migration tool uses the same factories, so the app and its migrations
 * see the database through one driver.
 */
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { DatabaseConfig } from "./database-url";

/** How long a SQLite connection waits for another connection's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * PRAGMAs every SQLite connection of the app runs when it opens (https://sqlite.org/pragma.html):
 * - `journal_mode = WAL` (https://sqlite.org/wal.html): readers (the web server) never block
 *   the writer (the sync worker) and a commit appends to the log instead of syncing the
 *   rollback journal and the database file twice. The mode is stored in the file, so this
 *   only has work to do on a fresh database; in-memory databases answer "memory" and stay so.
 * - `synchronous = NORMAL`: in WAL mode a commit is durable against an application crash and
 *   the database can never be corrupted; only a power loss may roll back the last commits
 *   (SQLite's recommended setting for WAL). Per connection, hence run on every connect.
 * - `busy_timeout`: wait for the backfill's own connection to release the write lock rather
 *   than fail with SQLITE_BUSY.
 * - `secure_delete = ON` (https://sqlite.org/pragma.html#pragma_secure_delete): deleted and
 *   overwritten content is zeroed in the page instead of left readable in the file, so a
 *   redacted customer's e-mail is gone from the bytes, not only from query results (with a
 *   WAL checkpoint after the redaction: app/sync/privacy/privacy.ts, docs/decisions/018-erasure.md).
 *   Per connection, and it must be on for whichever connection deletes.
 * - `mmap_size` (https://sqlite.org/mmap.html): pages are read from a memory map of the file
 *   instead of copied by a system call each; a query reading many rows at random (a big segment's
 *   member page 501) spent half its time in those calls (195 → 61–81 ms at 1M orders). Reads only;
 *   2 GiB is SQLite's default ceiling. docs/decisions/039-sqlite-mmap-reads.md.
 */
export const SQLITE_CONNECTION_PRAGMAS = [
  "journal_mode = WAL",
  "synchronous = NORMAL",
  `busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
  "secure_delete = ON",
  "mmap_size = 2147483648",
] as const;

/** Runs {@link SQLITE_CONNECTION_PRAGMAS} on a freshly opened better-sqlite3 connection. */
export function applySqliteConnectionPragmas(db: { pragma(source: string): unknown }): void {
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) db.pragma(pragma);
}

/**
 * Prisma's better-sqlite3 adapter factory has no hook for connection settings, so every
 * connection it opens (app client, migrations, shadow databases) runs the PRAGMAs first.
 */
class ConfiguredSqliteAdapterFactory extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(SQLITE_CONNECTION_PRAGMAS.map((p) => `PRAGMA ${p};`).join("\n"));
    return adapter;
  }

  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    await adapter.executeScript(SQLITE_CONNECTION_PRAGMAS.map((p) => `PRAGMA ${p};`).join("\n"));
    return adapter;
  }
}

/**
 * Session settings of the app's PostgreSQL connections. `jit = off`: the app's queries are
 * short, and a query over a whole generation passes the planner's JIT threshold, where compiling
 * it took longer than running it (the segment builder's live count at 1M orders: 0.4 s of JIT
 * in a 1.7 s count; half the time without it; docs/decisions/034-live-count-sql-shape.md).
 */
export const POSTGRES_CONNECTION_OPTIONS = "-c jit=off";

export function createDriverAdapterFactory(config: DatabaseConfig) {
  if (config.dialect === "sqlite") {
    if (config.filePath !== ":memory:") fs.mkdirSync(path.dirname(config.filePath), { recursive: true });
    return new ConfiguredSqliteAdapterFactory({ url: config.filePath, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }
  // A lost server must fail a query within seconds (the job is then retried), not hang on TCP.
  return new PrismaPg({ connectionString: config.url, connectionTimeoutMillis: 10_000, keepAlive: true, options: POSTGRES_CONNECTION_OPTIONS }, config.schema ? { schema: config.schema } : undefined);
}
