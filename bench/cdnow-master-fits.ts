/**
 * Fit time per model on the CDNOW master log's 11,104 distinct day-level tuples (23,570
 * customers, weeks, as of 1998-06-30; tests/fixtures/cdnow/master-day-tuples.csv) and the
 * log-likelihood reached (issue #13). Gamma-Gamma on the repeat customers' mean repeat spend
 * when the raw log is available (../shared/data/cdnow_master.txt; same-day purchases merged).
 * Each fit runs 3 times to warm the JIT, then the median of 9 timed runs is reported with its
 * process CPU time. Prints a Markdown table for bench/RESULTS.md.
 *
 *   npx tsx bench/cdnow-master-fits.ts [bg-nbd|mbg-nbd|pareto-nbd …]   (default: all, and Gamma-Gamma)
 *
 * Side by side with lifetimes' BetaGeoFitter: bench/lifetimes-bgnbd.py (run the two in turns).
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fitCountingModelByName, fitGammaGamma, type CountingModelName } from "../app/analytics/models/index.ts";
import { loadCdnowMasterTuples } from "../app/analytics/models/testing/cdnow-fixture.ts";

const rows = loadCdnowMasterTuples();
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function time<T>(fit: () => T): { result: T; wallMs: number; cpuMs: number } {
  for (let i = 0; i < 3; i++) fit();
  const wall: number[] = [];
  const cpu: number[] = [];
  let result = fit();
  for (let i = 0; i < 9; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fit();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { result, wallMs: median(wall), cpuMs: median(cpu) };
}

const load = loadavg()[0];
const lines: string[] = [];
lines.push(`Date: ${new Date().toISOString()} · ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown"} · Node ${process.version} · 1-minute load average ${load.toFixed(1)} (shared machine)`);
lines.push("");
lines.push(`${rows.length.toLocaleString("en")} tuples, ${rows.reduce((s, r) => s + r.count, 0).toLocaleString("en")} customers.`);
lines.push("");
lines.push("| model | fit (ms, median wall) | fit (ms, median CPU) | iterations | log-likelihood | parameters |");
lines.push("|---|---:|---:|---:|---:|---|");
const only = process.argv.slice(2) as CountingModelName[];
for (const model of (only.length > 0 ? only : ["bg-nbd", "mbg-nbd", "pareto-nbd"]) as CountingModelName[]) {
  // A fresh array each time: the fit's column copy of the rows (cached per array) is part of the cost.
  const { result, wallMs, cpuMs } = time(() => fitCountingModelByName(model, rows.slice()));
  const params = Object.entries(result.params).map(([k, v]) => `${k} ${(v as number).toPrecision(4)}`).join(", ");
  lines.push(`| ${model} | ${wallMs.toFixed(1)} | ${cpuMs.toFixed(1)} | ${result.fit.iterations} | ${result.fit.logLikelihood.toFixed(1)} | ${params} |`);
}
const master = new URL("../../shared/data/cdnow_master.txt", import.meta.url);
if (only.length === 0 && existsSync(master)) {
  // customer → day → dollars (same-day rows merged)
  const byCustomer = new Map<string, Map<string, number>>();
  for (const line of readFileSync(master, "utf8").split("\n")) {
    const [id, day, , dollars] = line.trim().split(/\s+/);
    if (!/^\d+$/.test(id ?? "") || dollars === undefined) continue;
    const days = byCustomer.get(id) ?? new Map<string, number>();
    days.set(day, (days.get(day) ?? 0) + Number(dollars));
    byCustomer.set(id, days);
  }
  const spendRows: { x: number; meanSpend: number; count: number }[] = [];
  for (const days of byCustomer.values()) {
    const amounts = [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
    const repeat = amounts.slice(1);
    const mean = repeat.reduce((s, v) => s + v, 0) / Math.max(1, repeat.length);
    if (repeat.length > 0 && mean > 0) spendRows.push({ x: repeat.length, meanSpend: mean, count: 1 });
  }
  const { result, wallMs, cpuMs } = time(() => fitGammaGamma(spendRows));
  lines.push(`| gamma-gamma (${spendRows.length.toLocaleString("en")} repeat customers) | ${wallMs.toFixed(1)} | ${cpuMs.toFixed(1)} | ${result.iterations ?? ""} | ${result.logLikelihood.toFixed(1)} | p ${result.params.p.toPrecision(4)}, q ${result.params.q.toPrecision(4)}, γ ${result.params.gamma.toPrecision(4)} |`);
}
console.log(lines.join("\n"));
