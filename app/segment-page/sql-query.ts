/**
 * A raw statement built piece by piece with its values bound, never concatenated: `param`
 * returns the dialect's placeholder (`?` on SQLite, `$n` on PostgreSQL) for the next value.
 */
import { placeholder, type SqlDialect } from "~/sync/store/sql-dialect";

export class SqlParams {
  readonly values: unknown[] = [];
  constructor(readonly dialect: SqlDialect) {}

  param(value: unknown): string {
    this.values.push(value);
    return placeholder(this.dialect, this.values.length);
  }

  /** A number column as a float on both dialects (Decimal is `numeric` on PostgreSQL). */
  float(expression: string): string {
    return `CAST(${expression} AS ${this.dialect === "sqlite" ? "REAL" : "float8"})`;
  }

  /** A DateTime value as both dialects store it: comparable with the column. */
  date(value: Date): unknown {
    // SQLite keeps DateTime as ISO text, compared through julianday() below; PostgreSQL's timestamp(3) is UTC wall time.
    return this.dialect === "sqlite" ? value.toISOString() : value.toISOString().slice(0, 23);
  }

  /** A DateTime column compared as a point in time (SQLite text may carry "Z" or "+00:00"). */
  dateColumn(column: string): string {
    return this.dialect === "sqlite" ? `julianday(${column})` : column;
  }

  dateParam(value: Date): string {
    const p = this.param(this.date(value));
    return this.dialect === "sqlite" ? `julianday(${p})` : `CAST(${p} AS timestamp(3))`;
  }
}

/** Raw results: counts arrive as bigint on some drivers, numbers as strings on none of ours. */
export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  // SQLite text without a zone is UTC (as Prisma writes it).
  return new Date(/Z$|[+-]\d\d:\d\d$/.test(text) ? text : `${text.replace(" ", "T")}Z`);
}
