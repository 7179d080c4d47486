/**
 * Test-only loader for the CDNOW sample (Fader & Hardie's 2,357-customer extract), read from
 * the shared data folder. Not part of the analytics API (it does file I/O).
 *
 * Provenance: tests/fixtures/cdnow/README.md (a copy of shared/data/cdnow_sample.txt) (columns: master id, sample id, YYYYMMDD,
 * CDs, dollars) and cdnow_sample_summary.csv (x, t_x, T in weeks, as-of 1997-09-30), the
 * dataset of Fader, Hardie & Lee (2005) and of lifetimes' `load_cdnow_summary`.
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dataFile = (name: string): string => fileURLToPath(new URL(`../../../../tests/fixtures/cdnow/${name}`, import.meta.url));

export interface CdnowCustomer {
  readonly id: number;
  readonly x: number;
  readonly tx: number;
  readonly T: number;
}

/** The published summary (x = frequency, tx = recency, T, in weeks). */
export function loadCdnowSummary(): CdnowCustomer[] {
  const lines = readFileSync(dataFile("cdnow_sample_summary.csv"), "utf8").trim().split(/\r?\n/);
  if (lines[0] !== "ID,frequency,recency,T") throw new Error(`unexpected header: ${lines[0]}`);
  return lines.slice(1).map((line, i) => {
    const [id, x, tx, T] = line.split(",").map(Number);
    if ([id, x, tx, T].some((v) => !Number.isFinite(v))) throw new Error(`cdnow_sample_summary.csv line ${i + 2}: not numeric`);
    return { id, x, tx, T };
  });
}

export interface CdnowPurchaseEvents {
  readonly sampleId: number;
  /** days since 1970-01-01 (UTC), one per distinct purchase day, ascending */
  readonly days: number[];
  /** dollars per purchase day (same-day transactions merged) */
  readonly amounts: number[];
}

/** Purchase events up to and including `asOf` (YYYYMMDD), same-day transactions merged. */
export function loadCdnowPurchaseEvents(asOf = 19970930): CdnowPurchaseEvents[] {
  const text = readFileSync(dataFile("cdnow_sample.txt"), "utf8");
  const byCustomer = new Map<number, Map<number, number>>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 5) throw new Error(`cdnow_sample.txt line ${i + 1}: expected 5 columns`);
    const sampleId = Number(fields[1]);
    const date = Number(fields[2]);
    const dollars = Number(fields[4]);
    if (date > asOf) return;
    const y = Math.floor(date / 10000);
    const m = Math.floor(date / 100) % 100;
    const d = date % 100;
    const day = Date.UTC(y, m - 1, d) / 86_400_000;
    const days = byCustomer.get(sampleId) ?? new Map<number, number>();
    days.set(day, (days.get(day) ?? 0) + dollars);
    byCustomer.set(sampleId, days);
  });
  return [...byCustomer.entries()]
    .sort((p, q) => p[0] - q[0])
    .map(([sampleId, days]) => {
      const sorted = [...days.entries()].sort((p, q) => p[0] - q[0]);
      return { sampleId, days: sorted.map((e) => e[0]), amounts: sorted.map((e) => e[1]) };
    });
}

/**
 * The CDNOW master log (23,570 customers, Jan 1997 – Jun 1998) as distinct day-level
 * (x, t_x, T) tuples with customer counts, time in weeks (days ÷ 7), as of 1998-06-30, same-day
 * purchases merged: 11,104 tuples (tests/fixtures/cdnow/master-day-tuples.csv; its README says
 * how it was derived).
 */
export function loadCdnowMasterTuples(): { x: number; tx: number; T: number; count: number }[] {
  const lines = readFileSync(dataFile("master-day-tuples.csv"), "utf8").trim().split(/\r?\n/);
  if (lines[0] !== "x,tx_days,T_days,customers") throw new Error(`unexpected header: ${lines[0]}`);
  return lines.slice(1).map((line, i) => {
    const [x, txDays, TDays, count] = line.split(",").map(Number);
    if ([x, txDays, TDays, count].some((v) => !Number.isFinite(v))) throw new Error(`master-day-tuples.csv line ${i + 2}: not numeric`);
    return { x, tx: txDays / 7, T: TDays / 7, count };
  });
}
