import type { Database } from "~/db.server";
import { parseDatabaseUrl } from "~/db/database-url";

const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `work` while holding the lock named (`purpose`, `shop`): one holder at a time in this
 * process, and on PostgreSQL one across every app instance (a transaction-scoped advisory lock,
 * released when `work` ends, also if the process dies). Used where Shopify requires one actor
 * per shop, e.g. refreshing an expiring offline token: its refresh token rotates on use, so two
 * concurrent refreshes would leave one instance holding a dead token (SHOPIFY.md §2).
 */
export async function withShopLock<T>(prisma: Database, purpose: string, shop: string, work: () => Promise<T>, maxHoldMs = 60_000): Promise<T> {
  const key = `${purpose}:${shop}`;
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    if (parseDatabaseUrl(process.env.DATABASE_URL).dialect !== "postgresql") return await work();
    return await prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))::text`;
        return work();
      },
      { maxWait: maxHoldMs, timeout: maxHoldMs },
    );
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/**
 * Takes the lock named (`purpose`, `shop`) for the rest of the transaction `tx` (PostgreSQL: a
 * transaction-scoped advisory lock, across every app instance). On SQLite a no-op: one instance
 * by design, and the driver adapter runs one transaction at a time.
 */
export async function lockShopInTransaction(tx: Pick<Database, "$queryRawUnsafe">, dialect: "sqlite" | "postgresql", purpose: string, shop: string): Promise<void> {
  if (dialect !== "postgresql") return;
  await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text AS "locked"`, `${purpose}:${shop}`);
}
