/**
 * Structured logs: one JSON line per event on stdout (errors on stderr), with the ids an
 * operator filters by: `shop`, `job`, `requestId` (a webhook's X-Shopify-Webhook-Id, or the
 * X-Request-Id of an HTTP request). Never a secret, token or e-mail: fields whose name says
 * they hold one are dropped, and values that look like one are masked, whatever the caller
 * passed (tests/app/structured-logs.test.ts greps the output for them).
 */

export type LogLevel = "info" | "warn" | "error";

export interface LogFields {
  shop?: string;
  job?: string | number;
  requestId?: string;
  [field: string]: unknown;
}

/** Field names never written, whatever their value (matched case-insensitively). */
const SECRET_FIELD = /token|secret|password|authorization|cookie|hmac|e-?mail|payload|address|phone|name$/i;
/** Fields whose name ends in "name" but say nothing personal. */
const SAFE_NAME_FIELDS = new Set(["event", "kind", "topic", "name"]);
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g;
/** Shopify access and refresh tokens, and anything that looks like a bearer JWT. */
const TOKEN = /\b(?:shpat|shprt|shpca|shpss|shppa)_[A-Za-z0-9_-]+|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

type Sink = (level: LogLevel, line: string) => void;

const defaultSink: Sink = (level, line) => {
  if (level === "error") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
};

let sink: Sink = defaultSink;

/** Tests capture the lines; `undefined` restores stdout/stderr. */
export function setLogSink(next: Sink | undefined): void {
  sink = next ?? defaultSink;
}

function clean(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(EMAIL, "[email]").replace(TOKEN, "[token]");
  if (value instanceof Error) return clean(`${value.name}: ${value.message}`);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return depth > 3 ? "[…]" : value.map((v) => clean(v, depth + 1));
  if (value && typeof value === "object") {
    if (depth > 3) return "[…]";
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_FIELD.test(key) && !SAFE_NAME_FIELDS.has(key)) continue;
      out[key] = clean(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  const entry = { time: new Date().toISOString(), level, event, ...(clean(fields) as object) };
  try {
    sink(level, JSON.stringify(entry));
  } catch {
    // Logging must never take a request or a job down.
  }
}

export const logInfo = (event: string, fields?: LogFields) => log("info", event, fields);
export const logWarn = (event: string, fields?: LogFields) => log("warn", event, fields);
export const logError = (event: string, fields?: LogFields) => log("error", event, fields);

/**
 * The one line of an error that a log line (or the dashboard's "the last update failed" note)
 * carries: the database's own message where Prisma kept it (its message opens with the call,
 * "Invalid `prisma.x()` invocation", and may map the database's error to another one: SQLite's
 * RAISE in a trigger reads "Foreign key constraint violated"); else the first non-empty line,
 * or for a Prisma message without the database's words, its last.
 */
export function errorLine(error: unknown, maxLength = 500): string {
  const original = (error as { meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown } } } } | null)?.meta?.driverAdapterError?.cause?.originalMessage;
  if (typeof original === "string" && original.trim() !== "") return original.trim().split("\n")[0].slice(0, maxLength);
  const lines = (error instanceof Error ? error.message : String(error)).split("\n").map((line) => line.trim()).filter(Boolean);
  const line = lines.length > 1 && /^Invalid `.*` invocation/.test(lines[0]) ? lines[lines.length - 1] : (lines[0] ?? "");
  return line.slice(0, maxLength);
}
