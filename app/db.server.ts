/**
 * The Prisma client, one per process (cached on globalThis in development so Vite's reloads
 * do not open a new connection pool each time — the Shopify template's pattern).
 *
 * DATABASE_URL picks the database: `file:…` (SQLite, the embedded default) or
 * `postgresql://…`. Prisma needs one generated client per provider; both come from
 * prisma/schema.prisma (see scripts/db/cli.ts) and have the same models, so the app is
 * typed against the SQLite one.
 */
import { PrismaClient } from "./generated/prisma/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/prisma/postgresql/client";
import { parseDatabaseUrl, type DatabaseConfig } from "./db/database-url";
import { createDriverAdapterFactory } from "./db/driver-adapter.server";

export type Database = PrismaClient;

export function createPrismaClient(config: DatabaseConfig = parseDatabaseUrl(process.env.DATABASE_URL)): Database {
  const adapter = createDriverAdapterFactory(config);
  if (config.dialect === "postgresql") {
    return new PostgresPrismaClient({ adapter: adapter as never }) as unknown as Database;
  }
  return new PrismaClient({ adapter: adapter as never });
}

declare global {
  var prismaGlobal: Database | undefined;
}

function getClient(): Database {
  if (process.env.NODE_ENV === "production") return createPrismaClient();
  globalThis.prismaGlobal ??= createPrismaClient();
  return globalThis.prismaGlobal;
}

/** Creating the client opens no connection; the first query does. */
export const prisma: Database = getClient();

export default prisma;
