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

export function createDriverAdapterFactory(config: DatabaseConfig) {
  if (config.dialect === "sqlite") {
    if (config.filePath !== ":memory:") fs.mkdirSync(path.dirname(config.filePath), { recursive: true });
    // WAL lets the web server read while the worker writes.
    return new PrismaBetterSqlite3({ url: config.filePath, timeout: 10_000 });
  }
  return new PrismaPg({ connectionString: config.url }, config.schema ? { schema: config.schema } : undefined);
}
