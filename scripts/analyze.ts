/**
 * Offline analysis CLI (PRODUCT.md F15):
 *
 *   npm run analyze -- <file> [--format shopify|generic|cdnow] [--as-of YYYY-MM-DD]
 *        [--time-unit week|day] [--horizon N] [--period 30d|90d|12m|all]
 *        [--time-zone Europe/Amsterdam | --utc-offset MINUTES]
 *        [--marketing-spend PER_MONTH] [--json] [--scores out.csv]
 *
 * Exit codes: 0 ok (also when there is too little history for predictions), 2 bad input or
 * arguments (message names the line), 1 unexpected failure.
 */
import { realpathSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { analyzeStore } from "../app/analytics/analyze-store";
import { dayIndexFromIsoDate, isoDateFromDayIndex } from "../app/analytics/calendar/calendar-day";
import { FileInputError } from "./analyze/file-input-error";
import { formatAnalysisText } from "./analyze/format-analysis-text";
import { loadOrdersFile, type OrdersFileFormat } from "./analyze/load-orders-file";
import { fixedOffsetZone, ianaTimeZone, type ShopTimeZone } from "./analyze/shop-time-zone";
import { writeScoresCsv } from "./analyze/write-scores-csv";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Today's date (YYYY-MM-DD, UTC) for the future-order warning; the clock by default. */
  today?: () => string;
}

/** What a file-system error means for the user, in one line (no stack trace): exit 2. */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied (not readable)",
  EPERM: "permission denied",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files",
  EINVAL: "not a readable file",
};

const USAGE =
  "usage: npm run analyze -- <file> [--format shopify|generic|cdnow] [--as-of YYYY-MM-DD] [--time-unit week|day] [--horizon N] [--period 30d|90d|12m|all] [--time-zone IANA-ZONE | --utc-offset MINUTES] [--marketing-spend PER_MONTH] [--json] [--scores out.csv]";

class UsageError extends Error {}

/** Runs the CLI with `args` (without node and script); returns the exit code. */
export async function main(args: readonly string[], io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        format: { type: "string" },
        "as-of": { type: "string" },
        "time-unit": { type: "string" },
        horizon: { type: "string" },
        period: { type: "string" },
        "utc-offset": { type: "string" },
        "time-zone": { type: "string" },
        "marketing-spend": { type: "string" },
        json: { type: "boolean", default: false },
        scores: { type: "string" },
        help: { type: "boolean", default: false },
      },
    });
    if (values.help) {
      io.stdout(USAGE + "\n");
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError("expected exactly one input file");
    const format = values.format as OrdersFileFormat | undefined;
    if (format !== undefined && !["shopify", "generic", "cdnow"].includes(format)) throw new UsageError(`--format must be shopify, generic or cdnow (got "${format}")`);
    const timeUnit = (values["time-unit"] ?? "week") as "week" | "day";
    if (timeUnit !== "week" && timeUnit !== "day") throw new UsageError(`--time-unit must be week or day (got "${values["time-unit"]}")`);
    const horizon = values.horizon === undefined ? undefined : Number(values.horizon);
    if (horizon !== undefined && !(Number.isFinite(horizon) && horizon > 0)) throw new UsageError(`--horizon must be a positive number (got "${values.horizon}")`);
    const period = (values.period ?? "90d") as "30d" | "90d" | "12m" | "all";
    if (!["30d", "90d", "12m", "all"].includes(period)) throw new UsageError(`--period must be 30d, 90d, 12m or all (got "${values.period}")`);
    const utcOffset = values["utc-offset"] === undefined ? 0 : Number(values["utc-offset"]);
    if (!Number.isInteger(utcOffset) || Math.abs(utcOffset) > 18 * 60) throw new UsageError(`--utc-offset must be whole minutes within ±1080 (got "${values["utc-offset"]}")`);
    if (values["time-zone"] !== undefined && values["utc-offset"] !== undefined) throw new UsageError("give either --time-zone or --utc-offset, not both");
    let timeZone: ShopTimeZone = values["utc-offset"] === undefined ? fixedOffsetZone() : fixedOffsetZone(utcOffset, true);
    if (values["time-zone"] !== undefined) {
      try {
        timeZone = ianaTimeZone(values["time-zone"]);
      } catch {
        throw new UsageError(`--time-zone: unknown time zone "${values["time-zone"]}" (use an IANA name such as Europe/Amsterdam)`);
      }
    }
    const spend = values["marketing-spend"] === undefined ? null : Number(values["marketing-spend"]);
    if (spend !== null && !(Number.isFinite(spend) && spend >= 0)) throw new UsageError(`--marketing-spend must be a number ≥ 0 (got "${values["marketing-spend"]}")`);
    if (values["as-of"] !== undefined) {
      try {
        dayIndexFromIsoDate(values["as-of"]);
      } catch (error) {
        throw new UsageError(`--as-of: ${(error as Error).message}`);
      }
    }

    // A directory opens fine on Linux and fails only at the first read: say so before reading.
    if (statSync(positionals[0]).isDirectory()) throw Object.assign(new Error(positionals[0]), { code: "EISDIR", path: positionals[0] });
    const loaded = await loadOrdersFile(positionals[0], { format, timeZone });
    const { dataset } = loaded;
    let asOf = values["as-of"];
    if (asOf === undefined) {
      // Default: the day of the latest order in the file (a file is a closed history; "now" would
      // make every old export look lost).
      let last = -Infinity;
      for (let i = 0; i < dataset.orderCount; i++) if (dataset.orderDay[i] > last) last = dataset.orderDay[i];
      if (last === -Infinity) {
        io.stderr(`${positionals[0]}: no orders to analyse (all rows were test or cancelled orders)\n`);
        return 2;
      }
      asOf = isoDateFromDayIndex(last);
      const today = io.today?.() ?? new Date().toISOString().slice(0, 10);
      if (asOf > today) {
        io.stderr(`warning: the newest order is dated ${asOf}, after today (${today}); the analysis is as of that day. Check the file's dates, or give --as-of.\n`);
      }
    }
    const analysis = analyzeStore(dataset, { asOf, timeUnit, horizon, period, marketingSpendPerMonth: spend, includeScores: values.scores !== undefined });
    if (values.scores !== undefined) await writeScoresCsv(values.scores, analysis.scores!);
    // The per-day summary is what the app stores for custom ranges, not a figure for a reader.
    const { scores: _omitted, rangeCounts: _stored, ...report } = analysis;
    void _omitted;
    void _stored;
    if (values.json) io.stdout(JSON.stringify({ format: loaded.format, ...report }, null, 2) + "\n");
    else {
      io.stdout(`${positionals[0]} (${loaded.format}, ${loaded.rows} orders read)\n`);
      io.stdout(formatAnalysisText(analysis));
      if (values.scores !== undefined) io.stdout(`scores: ${analysis.scores?.length ?? 0} customers written to ${values.scores}\n`);
    }
    if (analysis.models.status === "insufficient-data" && values.json) io.stderr(`note: ${analysis.models.reason}\n`);
    return 0;
  } catch (error) {
    if (error instanceof FileInputError) {
      io.stderr(`error: ${args.find((a) => !a.startsWith("-")) ?? "input"}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`error: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    const code = (error as { code?: string }).code;
    if (code !== undefined && code in FILE_ERRORS) {
      const path = (error as { path?: string }).path ?? args.find((a) => !a.startsWith("-")) ?? "input";
      io.stderr(`error: ${path}: ${FILE_ERRORS[code]}\n`);
      return 2;
    }
    io.stderr(`unexpected error: ${(error as Error).stack ?? error}\n`);
    return 1;
  }
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
