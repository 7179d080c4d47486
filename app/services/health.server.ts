import { prisma } from "~/db.server";
import { parseDatabaseUrl } from "~/db/database-url";
import { DEFERRABLE_ORDER_INDEXES } from "~/sync/store/sqlite-batch-writer";

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
  // A first import on SQLite builds four order indexes at its end (sqlite-batch-writer.ts); if
  // it crashed and was never resumed they are missing. Rebuild them before serving.
  if (parseDatabaseUrl(process.env.DATABASE_URL).dialect === "sqlite") {
    for (const index of DEFERRABLE_ORDER_INDEXES) {
      await prisma.$executeRawUnsafe(index.sql.replace(/^CREATE INDEX /, "CREATE INDEX IF NOT EXISTS "));
    }
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
