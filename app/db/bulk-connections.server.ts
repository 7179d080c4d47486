/**
 * Connections for work that scales with the store (the recompute's load and write), outside
 * Prisma: Prisma's query interpreter costs tens of microseconds per row and per parameter, and
 * its interactive transactions time out (issue "Large stores": a 1M-order store never got an
 * analysis on PostgreSQL). On SQLite a better-sqlite3 connection to the same file iterates
 * prepared statements in raw mode; on PostgreSQL a pg pool streams with server-side cursors
 * and writes with `COPY … FROM STDIN` (pg-copy-streams). One connection (SQLite) or pool
 * (PostgreSQL) per database, opened on first use and kept: `closeBulkConnections()` at shutdown
 * and in tests that drop their database.
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig } from "./database-url";
import { applySqliteConnectionPragmas, BULK_SQLITE_CACHE_KIB, SQLITE_BUSY_TIMEOUT_MS } from "./sqlite-pragmas";

const sqliteConnections = new Map<string, Database.Database>();
const postgresPools = new Map<string, pg.Pool>();

/**
 * Runs `write` (synchronous, on a better-sqlite3 connection of this process) once no other
 * connection holds the file's write lock, waiting between tries without blocking the event loop.
 * SQLite's own busy handler sleeps on this thread: when the holder is a Prisma transaction of this
 * same process (the job queue's, a segment refresh's), its COMMIT needs this thread too, so the
 * two waited for each other until the busy timeout failed the write (a first recompute failed
 * so after every install, decision 049). `write` must be whole: a failed try has changed nothing
 * (a statement, or a `db.transaction`, which rolls back on the error).
 */
export async function whenSqliteWriteLockFree<T>(db: Database.Database, write: () => T, timeoutMs = SQLITE_BUSY_TIMEOUT_MS): Promise<T> {
  const busyTimeout = db.pragma("busy_timeout", { simple: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    db.pragma("busy_timeout = 0");
    try {
      return write();
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
    } finally {
      db.pragma(`busy_timeout = ${Number(busyTimeout)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The SQLite file's bulk connection, or null for an in-memory database (only Prisma's connection sees it). */
export function sqliteBulkConnection(config: DatabaseConfig): Database.Database | null {
  if (config.dialect !== "sqlite" || config.filePath === ":memory:") return null;
  let db = sqliteConnections.get(config.filePath);
  if (!db || !db.open) {
    db = new Database(config.filePath, { timeout: SQLITE_BUSY_TIMEOUT_MS, fileMustExist: true });
    applySqliteConnectionPragmas(db);
    // A 64 MB page cache (the default is 2 MB): writing a generation of profiles updates its
    // indexes (seven when this was measured; decision 050 builds four of them after the rows), and
    // pruning one deletes from them; with the default cache each of those steps re-reads and
    // re-writes pages. At 1M orders (274k profiles) inserting a generation took 12.4 s and deleting
    // one 7.6 s; with 64 MB 7.5 s and 4.0 s (bench/RESULTS.md).
    db.pragma(`cache_size = -${BULK_SQLITE_CACHE_KIB}`);
    // No memory map (decision 039 maps the pages' connections): this connection reads the whole
    // store in sequence, where a map only adds every page it passes to the process's resident
    // memory — the 1M recompute's peak RSS was 1,991 MB with it against 878 MB without.
    db.pragma("mmap_size = 0");
    sqliteConnections.set(config.filePath, db);
  }
  return db;
}

/** How a bulk connection to this PostgreSQL database connects (the pool's, and the recompute's line reader's on its thread). */
export function postgresConnectionSettings(config: DatabaseConfig & { dialect: "postgresql" }): { connectionString: string; options?: string } {
  return {
    connectionString: config.url.split("?")[0],
    // The schema named in DATABASE_URL (?schema=), as Prisma's adapter uses it.
    options: config.schema ? `-c search_path="${config.schema.replace(/"/g, '""')}"` : undefined,
  };
}

/** The PostgreSQL bulk pool (two connections: one job writes while a page's count may read). */
export function postgresBulkPool(config: DatabaseConfig): pg.Pool {
  if (config.dialect !== "postgresql") throw new Error("postgresBulkPool needs a PostgreSQL DATABASE_URL");
  const key = `${config.url} ${config.schema ?? ""}`;
  let pool = postgresPools.get(key);
  if (!pool) {
    pool = new pg.Pool({ ...postgresConnectionSettings(config), max: 2 });
    // An idle connection the server dropped must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    // Nor one dropped while checked out between two queries (a database outage mid-import): the
    // next query on it rejects, the job fails and is retried, and the pool discards the client.
    pool.on("connect", (client) => client.on("error", () => {}));
    postgresPools.set(key, pool);
  }
  return pool;
}

/**
 * Runs `work` in one transaction on a connection of `pool`, opened with `begin` (e.g. "BEGIN
 * ISOLATION LEVEL REPEATABLE READ READ ONLY"): committed when it returns, rolled back when it
 * throws (the error is rethrown), the connection released either way.
 */
export async function inPostgresTransaction<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export async function closeBulkConnections(): Promise<void> {
  for (const db of sqliteConnections.values()) if (db.open) db.close();
  sqliteConnections.clear();
  const pools = [...postgresPools.values()];
  postgresPools.clear();
  await Promise.all(pools.map((p) => p.end()));
}
