import Database from "better-sqlite3";
import { prisma } from "~/db.server";
import { parseDatabaseUrl } from "~/db/database-url";
import { applySqliteConnectionPragmas, SQLITE_BUSY_TIMEOUT_MS } from "~/db/driver-adapter.server";

/** What a verified webhook delivery says, as recorded before anything is applied. */
export interface WebhookDelivery {
  /** The *.myshopify.com domain from the verified delivery; every row is scoped by it. */
  shop: string;
  /** Upper-snake topic as shopify-app-remix normalises it (`ORDERS_CREATE`). */
  topic: string;
  /** `X-Shopify-Webhook-Id`: the same value on every retry of one delivery. */
  webhookId: string;
  /** `X-Shopify-Event-Id`: the same value for every delivery of one event, when Shopify sends it. */
  eventId?: string;
  apiVersion?: string;
  /** `X-Shopify-Triggered-At`, when the event happened at Shopify. */
  triggeredAt?: Date;
  /**
   * The raw request body. Kept as text, not re-serialised JSON: numeric ids beyond 2^53 would
   * lose digits in a JSON.parse/stringify round trip.
   */
  payload: string;
}

export type RecordWebhookResult = { recorded: true; id: number } | { recorded: false; reason: "duplicate" };

/**
 * Records one webhook delivery durably, once.
 *
 * Deduplicated on (shop, webhookId), the key shopify-app-remix documents as "the true
 * idempotency key" (CHANGELOG 4.2.1): Shopify's retries reuse it, so a retried or duplicated
 * delivery is acknowledged without a second row. The sync engine's worker applies the
 * `pending` rows later; see docs/decisions/004-webhook-idempotency.md.
 */
export async function recordWebhook(delivery: WebhookDelivery): Promise<RecordWebhookResult> {
  const config = parseDatabaseUrl(process.env.DATABASE_URL);
  if (config.dialect === "sqlite") {
    return config.filePath === ":memory:" ? recordThroughPrisma(delivery) : recordOnSqlite(config.filePath, delivery);
  }
  // PostgreSQL: one INSERT … ON CONFLICT DO NOTHING RETURNING statement, no exception for the
  // duplicate (createManyAndReturn with skipDuplicates returns only the rows it inserted).
  const rows = await prisma.webhookEvent.createManyAndReturn({
    data: [
      {
        shop: delivery.shop,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId ?? null,
        apiVersion: delivery.apiVersion ?? null,
        triggeredAt: delivery.triggeredAt ?? null,
        payload: delivery.payload,
      },
    ],
    // The app is typed against the SQLite client, which lacks skipDuplicates; this branch runs on PostgreSQL only.
    skipDuplicates: true as never,
    select: { id: true },
  });
  return rows.length ? { recorded: true, id: rows[0].id } : { recorded: false, reason: "duplicate" };
}

/**
 * SQLite: one prepared `INSERT … ON CONFLICT DO NOTHING RETURNING` on a better-sqlite3
 * connection of this module's own, reused for every delivery. Going through Prisma cost a
 * query-plan interpretation and a fresh `prepare` per request (about a quarter of the
 * intake's CPU in bench/sync-webhook-intake.bench.ts); this is one synchronous statement
 * that commits on its own (autocommit, WAL). Values are written in the format Prisma's
 * SQLite adapter writes (ISO timestamps with "+00:00"), so Prisma reads the rows as its own.
 */
function recordOnSqlite(filePath: string, delivery: WebhookDelivery): RecordWebhookResult {
  const id = sqliteInsert(filePath).get(
    delivery.shop,
    delivery.webhookId,
    delivery.eventId ?? null,
    delivery.topic,
    delivery.apiVersion ?? null,
    sqliteTimestamp(delivery.triggeredAt),
    delivery.payload,
    sqliteTimestamp(new Date()),
  ) as number | bigint | undefined;
  return id === undefined ? { recorded: false, reason: "duplicate" } : { recorded: true, id: Number(id) };
}

const sqliteTimestamp = (date: Date | undefined) => (date ? date.toISOString().replace("Z", "+00:00") : null);

let sqliteIntake: { filePath: string; db: Database.Database; insert: Database.Statement } | undefined;

function sqliteInsert(filePath: string): Database.Statement {
  if (sqliteIntake?.filePath === filePath && sqliteIntake.db.open) return sqliteIntake.insert;
  sqliteIntake?.db.close();
  const db = new Database(filePath, { timeout: SQLITE_BUSY_TIMEOUT_MS, fileMustExist: true });
  applySqliteConnectionPragmas(db);
  const insert = db
    .prepare(
      `INSERT INTO "WebhookEvent" ("shop", "webhookId", "eventId", "topic", "apiVersion", "triggeredAt", "payload", "receivedAt") ` +
        `VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("shop", "webhookId") DO NOTHING RETURNING "id"`,
    )
    .pluck();
  sqliteIntake = { filePath, db, insert };
  return insert;
}

/** Closes the SQLite intake connection (tests that delete their database file; shutdown). */
export function closeWebhookIntake(): void {
  sqliteIntake?.db.close();
  sqliteIntake = undefined;
}

/** An in-memory SQLite database exists only inside Prisma's connection: create, and catch the duplicate. */
async function recordThroughPrisma(delivery: WebhookDelivery): Promise<RecordWebhookResult> {
  try {
    const row = await prisma.webhookEvent.create({
      data: {
        shop: delivery.shop,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId ?? null,
        apiVersion: delivery.apiVersion ?? null,
        triggeredAt: delivery.triggeredAt ?? null,
        payload: delivery.payload,
      },
      select: { id: true },
    });
    return { recorded: true, id: row.id };
  } catch (error) {
    // P2002: the unique (shop, webhookId) index says this delivery is already recorded.
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002") return { recorded: false, reason: "duplicate" };
    throw error;
  }
}
