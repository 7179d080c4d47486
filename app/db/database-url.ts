/**
 * Which database a DATABASE_URL names. SQLite (`file:…`) is the embedded default;
 * PostgreSQL (`postgresql://…` or `postgres://…`) is the path for many app instances.
 * Shared by the app (db.server.ts) and the migration tool (scripts/db), so both read the
 * setting the same way.
 */
import path from "node:path";

export type DatabaseConfig =
  | { dialect: "sqlite"; url: string; filePath: string }
  | { dialect: "postgresql"; url: string; schema?: string };

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseUrlError";
  }
}

/**
 * Parses DATABASE_URL. SQLite paths are relative to `cwd` (the project root).
 * @throws DatabaseUrlError with a one-line message naming DATABASE_URL.
 */
export function parseDatabaseUrl(raw: string | undefined, cwd = process.cwd()): DatabaseConfig {
  const url = (raw ?? "").trim() || DEFAULT_DATABASE_URL;
  if (url.startsWith("file:")) {
    const rest = url.slice("file:".length).split("?")[0];
    if (!rest) throw new DatabaseUrlError("DATABASE_URL: a SQLite URL needs a file path, e.g. file:./prisma/dev.sqlite");
    const filePath = rest === ":memory:" ? rest : path.resolve(cwd, rest);
    return { dialect: "sqlite", url, filePath };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError("DATABASE_URL: not a valid PostgreSQL URL (expected postgresql://user@host:5432/database)");
    }
    if (!parsed.hostname || parsed.pathname.length <= 1) {
      throw new DatabaseUrlError("DATABASE_URL: a PostgreSQL URL needs a host and a database name, e.g. postgresql://postgres@127.0.0.1:5432/insights");
    }
    const schema = parsed.searchParams.get("schema") ?? undefined;
    return { dialect: "postgresql", url, schema };
  }
  throw new DatabaseUrlError(
    `DATABASE_URL: unsupported scheme in "${redactUrl(url)}"; use file:./path.sqlite (SQLite) or postgresql://… (PostgreSQL)`,
  );
}

/** The URL without its password, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
