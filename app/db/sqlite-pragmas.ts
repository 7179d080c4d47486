/**
 * The settings every SQLite connection of the app opens with: Prisma's (driver-adapter.server.ts),
 * the bulk connection's, the import's writer's and the recompute's worker thread's. No imports,
 * so a worker thread's bundle carries no database adapter for them.
 */

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

/**
 * The page cache in KiB of the connections that write or delete a whole generation of profiles
 * (the bulk connection, held while the process runs; the recompute's worker thread).
 */
export const BULK_SQLITE_CACHE_KIB = 65_536;

/** Runs {@link SQLITE_CONNECTION_PRAGMAS} on a freshly opened better-sqlite3 connection. */
export function applySqliteConnectionPragmas(db: { pragma(source: string): unknown }): void {
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) db.pragma(pragma);
}
