/**
 * Multi-row `INSERT … ON CONFLICT (shop, shopifyId) DO UPDATE … WHERE` with parameters: the
 * fast path for the backfill (one statement per few hundred rows instead of a Prisma upsert
 * per row) and the single path for every sync write, so webhooks and backfill obey the same
 * rules:
 * - keyed by (shop, shopifyId): a repeated write updates, never duplicates;
 * - with a `staleColumn`, a row whose Shopify `updatedAt` is older than the stored one is
 *   ignored (`excluded.updatedAt >= stored.updatedAt`), so an old webhook or an old bulk
 *   export never overwrites newer state;
 * - `keep` semantics: a column absent from a row (undefined) is left as stored on update and
 *   takes its default on insert, so a webhook payload without tags does not erase tags.
 */
import { MAX_PARAMETERS, postgresTimestamp, quote, valuesList, type SqlTarget } from "./sql-dialect";

export interface UpsertSpec {
  table: string;
  /** Columns of the unique key, e.g. ["shop", "shopifyId"]. */
  conflict: readonly string[];
  /** Only update when excluded.<staleColumn> >= stored (or stored is null). */
  staleColumn?: string;
  /** Column → SQL for the update expression (default `excluded."col"`), e.g. to blank PII after redaction. */
  updateExpressions?: Readonly<Record<string, (excludedRef: string, storedRef: string) => string>>;
  /** Columns never changed on update (set on insert only). */
  insertOnly?: readonly string[];
  returning?: readonly string[];
}

export async function upsertRows<R extends Record<string, unknown>>(
  target: SqlTarget,
  spec: UpsertSpec,
  rows: readonly Record<string, unknown>[],
): Promise<R[]> {
  if (rows.length === 0) return [];
  // Rows with the same set of present columns share one statement.
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const columns = Object.keys(row).filter((k) => row[k] !== undefined);
    const key = columns.join("\u0000");
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const returned: R[] = [];
  for (const [key, group] of groups) {
    const columns = key.split("\u0000");
    if (target.dialect === "postgresql") {
      // One array parameter per column (unnest): PostgreSQL parses 20 parameters instead of
      // 20 per row, which is several times faster for big batches.
      for (let start = 0; start < group.length; start += PG_ROWS_PER_STATEMENT) {
        const chunk = group.slice(start, start + PG_ROWS_PER_STATEMENT);
        const arrays = columns.map((c) => chunk.map((row) => pgValue(row[c])));
        const sql = buildUpsertSql(target, spec, columns, chunk.length);
        if (spec.returning) returned.push(...((await target.db.$queryRawUnsafe(sql, ...arrays)) as R[]));
        else await target.db.$executeRawUnsafe(sql, ...arrays);
      }
      continue;
    }
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    for (let start = 0; start < group.length; start += perStatement) {
      const chunk = group.slice(start, start + perStatement);
      const params: unknown[] = [];
      for (const row of chunk) for (const c of columns) params.push(row[c]);
      const sql = buildUpsertSql(target, spec, columns, chunk.length);
      if (spec.returning) returned.push(...((await target.db.$queryRawUnsafe(sql, ...params)) as R[]));
      else await target.db.$executeRawUnsafe(sql, ...params);
    }
  }
  return returned;
}

const PG_ROWS_PER_STATEMENT = 5_000;

/** PostgreSQL types of the sync's non-text columns (Prisma: Int → integer, Decimal → numeric, DateTime → timestamp(3)). */
const PG_COLUMN_TYPES: Record<string, string> = {
  numberOfOrders: "integer",
  orderId: "integer",
  quantity: "integer",
  amountSpent: "numeric",
  totalPrice: "numeric",
  subtotalPrice: "numeric",
  totalRefunded: "numeric",
  netSales: "numeric",
  amount: "numeric",
  test: "boolean",
  shopifyCreatedAt: "timestamp(3)",
  shopifyUpdatedAt: "timestamp(3)",
  syncedAt: "timestamp(3)",
  processedAt: "timestamp(3)",
  cancelledAt: "timestamp(3)",
  deletedAt: "timestamp(3)",
  redactedAt: "timestamp(3)",
  tagsAsOf: "timestamp(3)",
};

function pgValue(value: unknown): unknown {
  if (value instanceof Date) return postgresTimestamp(value);
  return value ?? null;
}

function buildUpsertSql(target: SqlTarget, spec: UpsertSpec, columns: string[], rowCount: number): string {
  const table = quote(spec.table);
  const updatable = columns.filter((c) => !spec.conflict.includes(c) && !(spec.insertOnly ?? []).includes(c));
  const sets = updatable.map((c) => {
    const custom = spec.updateExpressions?.[c];
    const expr = custom ? custom(`excluded.${quote(c)}`, `${table}.${quote(c)}`) : `excluded.${quote(c)}`;
    return `${quote(c)} = ${expr}`;
  });
  const source =
    target.dialect === "postgresql"
      ? `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${PG_COLUMN_TYPES[c] ?? "text"}[]`).join(", ")})`
      : `VALUES ${valuesList(target.dialect, rowCount, columns.length)}`;
  let sql =
    `INSERT INTO ${table} (${columns.map(quote).join(", ")}) ${source} ` +
    `ON CONFLICT (${spec.conflict.map(quote).join(", ")}) `;
  if (sets.length === 0) {
    sql += "DO NOTHING";
  } else {
    sql += `DO UPDATE SET ${sets.join(", ")}`;
    if (spec.staleColumn && columns.includes(spec.staleColumn)) {
      const s = quote(spec.staleColumn);
      sql += ` WHERE ${table}.${s} IS NULL OR excluded.${s} >= ${table}.${s}`;
    }
  }
  if (spec.returning) sql += ` RETURNING ${spec.returning.map(quote).join(", ")}`;
  return sql;
}
