/**
 * A recompute in a process of its own, as a worker instance runs it: for tests that kill one
 * midway (SIGKILL: no `finally`, no rollback but the database's own) or read beside one with
 * nothing shared but the database. `startRecomputeChild` spawns this file under tsx; run as a
 * script it recomputes one shop and prints the result as one JSON line. DATABASE_URL is the
 * database's, as in the app (on PostgreSQL the recompute then holds the shop's analysis lock).
 *
 *   node --import tsx tests/db/recompute-child.ts <database url> <shop> <as-of instant>
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDatabaseUrl } from "../../app/db/database-url";
import type { RecomputeResult } from "../../app/jobs/handlers/recompute";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "../..");

export interface RecomputeChild {
  process: ChildProcess;
  /** When the process has ended: its exit code or signal, what it printed, and the recompute's result if it finished. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; result: RecomputeResult | null }>;
}

export function startRecomputeChild(databaseUrl: string, shop: string, asOf: Date): RecomputeChild {
  const child = spawn(process.execPath, ["--import", "tsx", SELF, databaseUrl, shop, asOf.toISOString()], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<Awaited<RecomputeChild["exited"]>>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const last = stdout.trim().split("\n").pop();
      resolve({ code, signal, stderr, result: code === 0 && last ? (JSON.parse(last) as RecomputeResult) : null });
    });
  });
  return { process: child, exited };
}

if (process.argv[1] === SELF) {
  const [url, shop, asOf] = process.argv.slice(2);
  const { createPrismaClient } = await import("../../app/db.server");
  const { closeBulkConnections } = await import("../../app/db/bulk-connections.server");
  const { recomputeShop } = await import("../../app/jobs/handlers/recompute");
  const { setLogSink } = await import("../../app/log.server");
  // The log's lines go to stderr: stdout carries the result alone.
  setLogSink((_level, line) => process.stderr.write(`${line}\n`));
  const database = parseDatabaseUrl(url);
  const prisma = createPrismaClient(database);
  const ctx = { prisma, database, dialect: database.dialect, jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} } };
  const result = await recomputeShop(ctx, shop, { asOf: new Date(asOf) });
  await closeBulkConnections();
  await prisma.$disconnect();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
