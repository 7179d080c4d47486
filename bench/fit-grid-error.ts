/**
 * Measures what the big-store fit reductions cost in accuracy (docs/models/fitting.md, "Big
 * stores"): fits BG/NBD, MBG/NBD and Pareto/NBD on the exact day-level (x, t_x, T) tuples of the
 * synthetic bench store and on coarser day grids (all customers), and Gamma-Gamma on exact cents
 * and on mean spend rounded to 3 and 2 significant digits; reports each fit's 13-week store total
 * Σ E[Y(13 weeks) | x, t_x, T] over the exact tuples (and the mean expected spend) against the
 * exact fit, with fit times. Heavy: the exact fits take a while.
 *
 *   npx tsx bench/fit-grid-error.ts [orders=1000000] [bins=2,4,8,16,32]
 */
import { dayIndexFromIsoDate } from "../app/analytics/calendar/calendar-day";
import { customerFactsAsOf } from "../app/analytics/customers/customer-facts";
import { bindCountingModel, type CountingModelName, fitCountingModelByName, fitGammaGamma, gammaGammaExpectedSpend, type SpendSummaryRow } from "../app/analytics/models/index.ts";
import { summaryGrid } from "../app/analytics/predictions/summary-grid";
import { SYNTHETIC_AS_OF, syntheticStore } from "../app/analytics/testing/synthetic-store";

const orders = Number(process.argv[2] ?? 1_000_000);
const bins = (process.argv[3] ?? "2,4,8,16,32").split(",").map(Number);
const facts = customerFactsAsOf(syntheticStore(orders), dayIndexFromIsoDate(SYNTHETIC_AS_OF));
const n = facts.customerCount;
const histories = { x: new Int32Array(n).fill(-1), txDays: new Int32Array(n), TDays: new Int32Array(n) };
for (let c = 0; c < n; c++) {
  if (facts.orders[c] === 0) continue;
  histories.x[c] = facts.events[c] - 1;
  histories.txDays[c] = facts.lastDay[c] - facts.firstDay[c];
  histories.TDays[c] = facts.asOfDay - facts.firstDay[c];
}
const grid = (bin: number) => summaryGrid(histories, 7, bin === 1 ? Infinity : 1, bin, undefined);
const exact = grid(1);
console.log(`${orders} orders: ${exact.rows.reduce((s, r) => s + r.count, 0)} customers, ${exact.rows.length} exact tuples`);

const models: CountingModelName[] = ["bg-nbd", "mbg-nbd", "pareto-nbd"];
const total13 = (name: CountingModelName, params: object) => {
  const m = bindCountingModel(name, params as never);
  let sum = 0;
  for (const r of exact.rows) sum += r.count * m.probabilityAlive(r.x, r.tx, r.T) * m.expectedPurchasesGivenAlive(13, r.x, r.T);
  return sum;
};
const fmt = (p: object) => Object.entries(p).map(([k, v]) => `${k} ${(v as number).toPrecision(4)}`).join(", ");
for (const name of models) {
  const t0 = performance.now();
  const reference = fitCountingModelByName(name, exact.rows);
  const exactTotal = total13(name, reference.params);
  console.log(`${name} exact: ${fmt(reference.params)}; converged ${reference.fit.converged}; 13-week total ${exactTotal.toFixed(0)}; fit ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  for (const bin of bins) {
    const g = grid(bin);
    const t1 = performance.now();
    const fit = fitCountingModelByName(name, g.rows);
    const seconds = (performance.now() - t1) / 1000;
    const total = total13(name, fit.params);
    console.log(`  ${bin}-day grid (${g.rows.length} tuples): ${fmt(fit.params)}; 13-week total ${total.toFixed(0)} (${(((total - exactTotal) / exactTotal) * 100).toFixed(2)} %); fit ${seconds.toFixed(2)} s`);
  }
}

// Gamma-Gamma: exact cents vs rounded mean spend, all repeat customers.
const spendRows = (digits: number | null): SpendSummaryRow[] => {
  const index = new Map<number, number>();
  const rows: { x: number; meanSpend: number; count: number }[] = [];
  for (let c = 0; c < n; c++) {
    const x = facts.events[c] - 1;
    if (facts.orders[c] === 0 || x < 1) continue;
    const cents = Math.round((facts.repeatEventRevenue[c] / x) * 100) / 100;
    if (!(cents > 0)) continue;
    const scale = digits === null ? 100 : Math.pow(10, digits - 1 - Math.floor(Math.log10(cents)));
    const mean = Math.round(cents * scale) / scale;
    const key = x * 1e11 + Math.round(mean * 100);
    const i = index.get(key);
    if (i === undefined) {
      index.set(key, rows.length);
      rows.push({ x, meanSpend: mean, count: 1 });
    } else rows[i].count++;
  }
  return rows;
};
const exactSpend = spendRows(null);
const meanSpend = (params: { p: number; q: number; gamma: number }) => {
  let sum = 0;
  let count = 0;
  for (const r of exactSpend) {
    sum += (r.count ?? 1) * gammaGammaExpectedSpend(params, r.x, r.meanSpend);
    count += r.count ?? 1;
  }
  return sum / count;
};
let reference = 0;
for (const digits of [null, 3, 2]) {
  const rows = digits === null ? exactSpend : spendRows(digits);
  const t0 = performance.now();
  const fit = fitGammaGamma(rows);
  const seconds = (performance.now() - t0) / 1000;
  const mean = meanSpend(fit.params);
  if (digits === null) reference = mean;
  console.log(`gamma-gamma ${digits === null ? "exact cents" : `${digits} significant digits`} (${rows.length} rows): ${fmt(fit.params)}; mean E[spend] ${mean.toFixed(2)} (${(((mean - reference) / reference) * 100).toFixed(2)} %); fit ${seconds.toFixed(2)} s`);
}
