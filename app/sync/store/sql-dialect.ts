/**
 * The two SQL dialects the app runs on. Prisma's raw queries take positional parameters:
 * `?` on SQLite, `$n` on PostgreSQL. Everything else the sync's raw SQL uses (quoted
 * identifiers, INSERT … ON CONFLICT … DO UPDATE … WHERE, RETURNING, `excluded`) is the same on
 * both (SQLite ≥ 3.35).
 */
import type { Database } from "../../db.server";

export type SqlDialect = "sqlite" | "postgresql";

/** What a raw statement needs: the client (or a transaction of it) and its dialect. */
export interface SqlTarget {
  db: Pick<Database, "$executeRawUnsafe" | "$queryRawUnsafe">;
  dialect: SqlDialect;
}

/** SQLite's limit on bound parameters is 32766 (since 3.32), PostgreSQL's 65535: stay well below. */
export const MAX_PARAMETERS = 30_000;

/**
 * A DateTime as Prisma keeps it in PostgreSQL's `timestamp(3)` (without time zone): the UTC wall
 * time, whatever the session's TimeZone.
 */
export function postgresTimestamp(date: Date): string {
  return date.toISOString().slice(0, 23);
}

export function placeholder(dialect: SqlDialect, index1: number): string {
  return dialect === "sqlite" ? "?" : `$${index1}`;
}

export function quote(identifier: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(identifier)) throw new Error(`unsafe SQL identifier: ${identifier}`);
  return `"${identifier}"`;
}

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `columns` values, numbering from `offset`. */
export function valuesList(dialect: SqlDialect, rows: number, columns: number, offset = 0): string {
  const out: string[] = [];
  let n = offset;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(placeholder(dialect, ++n));
    out.push(`(${cells.join(", ")})`);
  }
  return out.join(", ");
}

/** `IN (…)` placeholders for `count` values, numbering from `offset`. */
export function inList(dialect: SqlDialect, count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => placeholder(dialect, offset + i + 1)).join(", ");
}

/** A `LIKE … ESCAPE '\'` pattern for "contains `text`": a backslash, `%` and `_` in it are taken literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
