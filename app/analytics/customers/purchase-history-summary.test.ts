import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { createDatasetBuilder } from "../dataset/dataset-builder";
import { customerFactsAsOf } from "./customer-facts";
import { purchaseHistorySummary } from "./purchase-history-summary";

/**
 * Oracle: tests/fixtures/cdnow/cdnow_sample_summary.csv, the published per-customer (x, t_x, T) of
 * the CDNOW sample at A = 1997-09-30 in weeks (the input of Fader, Hardie & Lee 2005 and of
 * lifetimes' `load_cdnow_summary`), rounded to 2 decimals.
 */
describe("purchaseHistorySummary(facts, 'week') on the CDNOW sample", () => {
  it("reproduces cdnow_sample_summary.csv for all 2,357 customers", () => {
    const builder = createDatasetBuilder();
    for (const line of readFileSync("tests/fixtures/cdnow/cdnow_sample.txt", "utf8").split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f.length !== 5) continue;
      const d = f[2];
      builder.add({ customerId: String(Number(f[1])), at: Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)), revenue: Number(f[4]), items: Number(f[3]) });
    }
    const dataset = builder.build();
    const summary = purchaseHistorySummary(customerFactsAsOf(dataset, dayIndexFromIsoDate("1997-09-30")), "week");
    const expected = readFileSync("tests/fixtures/cdnow/cdnow_sample_summary.csv", "utf8").trim().split("\n").slice(1);
    expect(expected).toHaveLength(2357);
    let compared = 0;
    for (const row of expected) {
      const [id, x, tx, T] = row.split(",").map(Number);
      const c = dataset.customerIds.indexOf(String(id));
      expect(c, `customer ${id}`).toBeGreaterThanOrEqual(0);
      expect(summary.frequency[c], `x of ${id}`).toBe(x);
      expect(Math.abs(summary.recency[c] - tx), `t_x of ${id}`).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(summary.ageT[c] - T), `T of ${id}`).toBeLessThanOrEqual(0.005 + 1e-9);
      compared++;
    }
    expect(compared).toBe(2357);
  });
});
