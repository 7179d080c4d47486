import Database from "better-sqlite3";
import pg from "pg";
import { appContext, appNow } from "~/services/sync.server";
import { groupCommit } from "~/db/group-commit";
import { ts } from "~/sync/store/batch-values";
import { postgresTimestamp } from "~/sync/store/sql-dialect";
import { parseDatabaseUrl } from "~/db/database-url";
import { applySqliteConnectionPragmas, SQLITE_BUSY_TIMEOUT_MS } from "~/db/sqlite-pragmas";
import { lifecycleOf, type ShopLifecycle } from "~/sync/webhooks/shop-lifecycle";

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
  return recordOnPostgres(config.url, config.schema, delivery);
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
  const id = sqliteStatements(filePath).insert.get(
    delivery.shop,
    delivery.webhookId,
    delivery.eventId ?? null,
    delivery.topic,
    delivery.apiVersion ?? null,
    ts(delivery.triggeredAt),
    delivery.payload,
    ts(appNow()),
  ) as number | bigint | undefined;
  return id === undefined ? { recorded: false, reason: "duplicate" } : { recorded: true, id: Number(id) };
}

let sqliteIntake: { filePath: string; db: Database.Database; insert: Database.Statement; installState: Database.Statement } | undefined;

function sqliteStatements(filePath: string) {
  if (sqliteIntake?.filePath === filePath && sqliteIntake.db.open) return sqliteIntake;
  sqliteIntake?.db.close();
  const db = new Database(filePath, { timeout: SQLITE_BUSY_TIMEOUT_MS, fileMustExist: true });
  applySqliteConnectionPragmas(db);
  const insert = db
    .prepare(
      `INSERT INTO "WebhookEvent" ("shop", "webhookId", "eventId", "topic", "apiVersion", "triggeredAt", "payload", "receivedAt") ` +
        `VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("shop", "webhookId") DO NOTHING RETURNING "id"`,
    )
    .pluck();
  const installState = db.prepare(`SELECT "installState" FROM "Shop" WHERE "shop" = ?`).pluck();
  sqliteIntake = { filePath, db, insert, installState };
  return sqliteIntake;
}

/**
 * Where the shop is in its lifecycle (shop-lifecycle.ts), read on the intake's own connection
 * so that checking costs one indexed lookup, not a Prisma round trip.
 */
export async function readShopLifecycle(shop: string): Promise<ShopLifecycle> {
  const config = parseDatabaseUrl(process.env.DATABASE_URL);
  if (config.dialect === "sqlite" && config.filePath !== ":memory:") {
    return lifecycleOf(sqliteStatements(config.filePath).installState.get(shop) as string | undefined);
  }
  if (config.dialect === "sqlite") {
    const row = await appContext().prisma.shop.findUnique({ where: { shop }, select: { installState: true } });
    return lifecycleOf(row?.installState);
  }
  const { rows } = await postgresIntake(config.url, config.schema).pool.query<{ installState: string }>({
    name: "shop-install-state",
    text: `SELECT "installState" FROM "Shop" WHERE "shop" = $1`,
    values: [shop],
  });
  return lifecycleOf(rows[0]?.installState);
}

/**
 * PostgreSQL: one prepared `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING` on a small
 * pool of this module's own, with group commit: deliveries that arrive while every connection
 * is inserting share the next statement and its commit. Each insert is otherwise a commit
 * waiting for its WAL flush (about 3 ms here), which capped one connection at about 300
 * deliveries/s; Prisma's createManyAndReturn also cost about 2 ms of CPU per delivery
 * (bench/sync-webhook-intake.bench.ts). A delivery is answered only after its commit.
 */
function recordOnPostgres(url: string, schema: string | undefined, delivery: WebhookDelivery): Promise<RecordWebhookResult> {
  return postgresIntake(url, schema).record(delivery);
}

const POSTGRES_INSERT =
  `INSERT INTO "WebhookEvent" ("shop", "webhookId", "eventId", "topic", "apiVersion", "triggeredAt", "payload", "receivedAt") ` +
  `SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamp(3)[], $7::text[], $8::timestamp(3)[]) ` +
  `ON CONFLICT ("shop", "webhookId") DO NOTHING RETURNING "shop", "webhookId", "id"`;

async function insertDeliveries(pool: pg.Pool, deliveries: WebhookDelivery[]): Promise<RecordWebhookResult[]> {
  const receivedAt = utcTimestamp(appNow());
  const { rows } = await pool.query<{ shop: string; webhookId: string; id: number }>({
    name: "record-webhooks",
    text: POSTGRES_INSERT,
    values: [
      deliveries.map((d) => d.shop),
      deliveries.map((d) => d.webhookId),
      deliveries.map((d) => d.eventId ?? null),
      deliveries.map((d) => d.topic),
      deliveries.map((d) => d.apiVersion ?? null),
      deliveries.map((d) => utcTimestamp(d.triggeredAt)),
      deliveries.map((d) => d.payload),
      deliveries.map(() => receivedAt),
    ],
  });
  // The same delivery twice in one batch is inserted once: the first is recorded, the rest are duplicates.
  const inserted = new Map(rows.map((row) => [`${row.shop}\n${row.webhookId}`, row.id]));
  return deliveries.map((d) => {
    const key = `${d.shop}\n${d.webhookId}`;
    const id = inserted.get(key);
    if (id === undefined) return { recorded: false, reason: "duplicate" } as const;
    inserted.delete(key);
    return { recorded: true, id };
  });
}

const utcTimestamp = (date: Date | undefined) => (date ? postgresTimestamp(date) : null);

/** Connections per process: enough to overlap commits; group commit does the rest. */
const POSTGRES_INTAKE_CONNECTIONS = 4;

let postgresIntakeState: { key: string; pool: pg.Pool; record: (delivery: WebhookDelivery) => Promise<RecordWebhookResult> } | undefined;

function postgresIntake(url: string, schema: string | undefined) {
  const key = `${url} ${schema ?? ""}`;
  if (postgresIntakeState?.key === key) return postgresIntakeState;
  void postgresIntakeState?.pool.end();
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES_INTAKE_CONNECTIONS,
    connectionTimeoutMillis: 10_000,
    // The schema named in DATABASE_URL (?schema=), as Prisma's adapter uses it.
    options: schema ? `-c search_path="${schema.replace(/"/g, '""')}"` : undefined,
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const record = groupCommit((deliveries: WebhookDelivery[]) => insertDeliveries(pool, deliveries), {
    maxInFlight: POSTGRES_INTAKE_CONNECTIONS,
    maxBatch: 500,
  });
  postgresIntakeState = { key, pool, record };
  return postgresIntakeState;
}

/** Closes the intake's own connections (tests that drop their database; shutdown). */
export async function closeWebhookIntake(): Promise<void> {
  sqliteIntake?.db.close();
  sqliteIntake = undefined;
  const pool = postgresIntakeState?.pool;
  postgresIntakeState = undefined;
  await pool?.end();
}

/** An in-memory SQLite database exists only inside Prisma's connection: create, and catch the duplicate. */
async function recordThroughPrisma(delivery: WebhookDelivery): Promise<RecordWebhookResult> {
  try {
    const row = await appContext().prisma.webhookEvent.create({
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
