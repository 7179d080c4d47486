/**
 * Benchmark of the full store analysis (issue #4): generates synthetic stores of 100k, 1M and
 * (with --with-5m) 5M orders in-process from a seeded generator, runs `analyzeStore` (all
 * descriptive outputs, model fits, back-test, per-customer scores) and records wall time,
 * model-fit time and peak RSS in bench/RESULTS.md. Each size runs in its own child process so
 * its peak RSS is its own.
 *
 *   npm run bench:analytics               # 100k and 1M
 *   npm run bench:analytics -- --with-5m  # also 5M (heavy: run once)
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { analyzeStore } from "../app/analytics/analyze-store";
import { SYNTHETIC_AS_OF, syntheticStore } from "../app/analytics/testing/synthetic-store";

const AS_OF = SYNTHETIC_AS_OF;

interface Measurement {
  orders: number;
  customers: number;
  generateAndBuildSeconds: number;
  analyzeSeconds: number;
  /** Process CPU time (user + system) of the analysis: less sensitive to other load than wall time. */
  analyzeCpuSeconds: number;
  modelSeconds: number;
  maxRssMb: number;
  timings: Record<string, number>;
  defaultModel: string;
  /** With ANALYSIS_HASH=1: sha-256 prefixes of the analysis JSON (no timings, no scores) and of every score row. */
  hashes?: { analysis: string; scoreRows: string };
}

/** Fingerprints of the figures, to show a speed-up left them unchanged (to the last bit). */
function analysisHashes(analysis: ReturnType<typeof analyzeStore>): { analysis: string; scoreRows: string } {
  const { timings: _timings, scores, ...figures } = analysis;
  const rows = createHash("sha256");
  if (scores) for (let i = 0; i < scores.length; i++) rows.update(JSON.stringify(scores.row(i)) + "\n");
  return { analysis: createHash("sha256").update(JSON.stringify(figures)).digest("hex").slice(0, 16), scoreRows: rows.digest("hex").slice(0, 16) };
}

/** Generates `targetOrders` orders (~0.3 customers per order) and analyses them. */
function runOne(targetOrders: number): Measurement {
  const t0 = performance.now();
  const dataset = syntheticStore(targetOrders);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const analysis = analyzeStore(dataset, { asOf: AS_OF, timeUnit: "week", period: "90d", clock: () => performance.now() });
  const cpu = process.cpuUsage(cpu0);
  const t2 = performance.now();
  return {
    orders: dataset.orderCount,
    customers: analysis.customers,
    generateAndBuildSeconds: (t1 - t0) / 1000,
    analyzeSeconds: (t2 - t1) / 1000,
    analyzeCpuSeconds: (cpu.user + cpu.system) / 1e6,
    modelSeconds: (analysis.timings?.models ?? NaN) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    timings: analysis.timings ?? {},
    defaultModel: analysis.models.status === "fitted" ? analysis.models.default : analysis.models.status,
    ...(process.env.ANALYSIS_HASH === "1" ? { hashes: analysisHashes(analysis) } : {}),
  };
}

const argv = process.argv.slice(2);
const oneIndex = argv.indexOf("--one");
if (oneIndex >= 0) {
  process.stdout.write(JSON.stringify(runOne(Number(argv[oneIndex + 1]))));
} else {
  const loadBefore = loadavg()[0];
  const sizes = [100_000, 1_000_000, ...(argv.includes("--with-5m") ? [5_000_000] : [])];
  const self = fileURLToPath(import.meta.url);
  const results: Measurement[] = [];
  for (const size of sizes) {
    const out = execFileSync(process.execPath, [...process.execArgv, self, "--one", String(size)], { encoding: "utf8", maxBuffer: 1 << 24 });
    const m = JSON.parse(out) as Measurement;
    results.push(m);
    console.log(`${size} orders: ${m.customers} customers, analyse ${m.analyzeSeconds.toFixed(2)} s wall, ${m.analyzeCpuSeconds.toFixed(2)} s CPU (models ${m.modelSeconds.toFixed(2)} s), build ${m.generateAndBuildSeconds.toFixed(2)} s, peak RSS ${m.maxRssMb.toFixed(0)} MB`);
  }
  const cpuModel = (readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) ?? [])[1] ?? cpus()[0]?.model ?? "unknown";
  const nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  const section = [
    "## Analytics core (`npm run bench:analytics`)",
    "",
    `Date: ${new Date().toISOString()} · machine: ${nproc} cores (nproc), ${cpuModel} · Node ${process.version} · 1-minute load average before the run ${loadBefore.toFixed(1)} (the machine is shared with other engineers; wall times are inflated accordingly)`,
    "",
    "Synthetic stores from a seeded BG/NBD-like generator (3 years, ~0.3 customers per order, 5 % guest orders, 1–3 line items from 500 products), as-of 2024-12-31, weeks, period 90d. `analyse` = `analyzeStore` end to end, wall clock (facts, lifecycle snapshots, key metrics, series, cohorts, RFM, groups, segments, products, geography, timing, acquisition, BG/NBD + MBG/NBD + Pareto/NBD + Gamma-Gamma fits, back-test, intervals, per-customer score table); `analyse CPU` = its process CPU time (user + system), less sensitive to other load on the machine. `build` = generating the rows and the columnar dataset builder. Peak RSS = `process.resourceUsage().maxRSS` of the child process doing both.",
    "",
    "| orders | customers | analyse (s) | analyse CPU (s) | of which models (s) | build (s) | peak RSS (MB) | default model |",
    "|---:|---:|---:|---:|---:|---:|---:|---|",
    ...results.map((m) => `| ${m.orders.toLocaleString("en")} | ${m.customers.toLocaleString("en")} | ${m.analyzeSeconds.toFixed(2)} | ${m.analyzeCpuSeconds.toFixed(2)} | ${m.modelSeconds.toFixed(2)} | ${m.generateAndBuildSeconds.toFixed(2)} | ${m.maxRssMb.toFixed(0)} | ${m.defaultModel} |`),
    "",
    "Stage timings (ms):",
    "",
    ...results.map((m) => `- ${m.orders.toLocaleString("en")}: ${Object.entries(m.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")}`),
    "",
  ].join("\n");
  const path = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmark results\n\n";
  const marker = /## Analytics core \(`npm run bench:analytics`\)[\s\S]*?(?=\n## |$)/;
  writeFileSync(path, marker.test(existing) ? existing.replace(marker, section.trimEnd() + "\n") : existing.trimEnd() + "\n\n" + section);
  console.log(`recorded in ${path}`);
}
