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
import { SQLITE_BUSY_TIMEOUT_MS, SQLITE_CONNECTION_PRAGMAS } from "./sqlite-pragmas";

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
 * Session settings of the app's PostgreSQL connections (pages, services, jobs; the recompute's
 * and the import's bulk pool has its own). `jit = off`: the app's queries are short, and a query
 * over a whole generation passes the planner's JIT threshold, where compiling it took longer than
 * running it (the segment builder's live count at 1M orders: 0.4 s of JIT in a 1.7 s count; half
 * the time without it; docs/decisions/034-live-count-sql-shape.md). `max_parallel_workers_per_gather
 * = 0`: a page's query runs in its own backend, without starting parallel workers, whose start
 * cost more than they saved on a 2-core server and which compete with the other requests
 * (docs/decisions/059-serial-page-queries.md).
 */
export const POSTGRES_CONNECTION_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0";

export function createDriverAdapterFactory(config: DatabaseConfig) {
  if (config.dialect === "sqlite") {
    if (config.filePath !== ":memory:") fs.mkdirSync(path.dirname(config.filePath), { recursive: true });
    return new ConfiguredSqliteAdapterFactory({ url: config.filePath, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }
  // A lost server must fail a query within seconds (the job is then retried), not hang on TCP.
  return new PrismaPg({ connectionString: config.url, connectionTimeoutMillis: 10_000, keepAlive: true, options: POSTGRES_CONNECTION_OPTIONS }, config.schema ? { schema: config.schema } : undefined);
}
