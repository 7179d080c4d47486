import type { StoreAnalysis } from "../../app/analytics/analyze-store";

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
const money = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : v.toFixed(2));
const int = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : String(Math.round(v)));
const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** Readable text report of an analysis (the CLI without --json). */
export function formatAnalysisText(a: StoreAnalysis): string {
  const out: string[] = [];
  const f = a.metrics.figures;
  out.push(`Customer Insights — analysis as of ${a.asOf} (time unit: ${a.timeUnit})`);
  out.push(`customers ${a.customers}, orders ${a.orders} (guest ${a.guestOrders}, ${pct(a.guestOrderShare)}), revenue ${money(a.revenue)}`);
  out.push(`excluded: ${a.excludedOrders.test} test, ${a.excludedOrders.cancelled} cancelled, ${a.excludedOrders.afterAsOf} after the as-of date`);
  out.push("");
  out.push(`Key metrics, period ${a.metrics.period.start} .. ${a.metrics.period.end} (${a.metrics.period.preset})${a.metrics.previousPeriod ? ` vs ${a.metrics.previousPeriod.start} .. ${a.metrics.previousPeriod.end}` : ""}`);
  const rows: [string, (v: number | null) => string][] = [
    ["total-customers", int], ["new-customers", int], ["ltv", money], ["repeat-purchase-rate", pct], ["retention-rate", pct],
    ["churn-rate-monthly", pct], ["aov", money], ["orders-per-customer", (v) => (v === null ? "n/a" : v.toFixed(2))], ["guest-order-share", pct], ["cac", money], ["ltv-cac", (v) => (v === null ? "n/a" : `${v.toFixed(2)}:1`)],
  ];
  for (const [key, show] of rows) {
    const m = f[key as keyof typeof f];
    // A share's change is in percentage points (value − previous), any other figure's relative.
    const change = m.change === null ? "" : ` (${m.change >= 0 ? "+" : ""}${(m.change * 100).toFixed(1)}${m.changeUnit === "points" ? " pp" : "%"})`;
    out.push(`  ${key.padEnd(22)} ${show(m.value).padStart(12)}   previous ${show(m.previous)}${change}${m.note ? `  [${m.note}]` : ""}`);
  }
  out.push("");
  out.push(`Lifecycle: ${Object.entries(a.lifecycle).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  out.push(`Customer types: ${Object.entries(a.customerTypes.counts).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  out.push("Groups:");
  for (const g of a.groups.metrics) {
    out.push(`  ${g.group.padEnd(9)} ${String(g.customers).padStart(8)} customers, LTV ${money(g.ltv)}, avg orders ${g.averageOrders?.toFixed(2) ?? "n/a"}, basket ${g.averageBasketSize?.toFixed(2) ?? "n/a"}, orders/yr ${g.ordersPerYear?.toFixed(2) ?? "n/a"}, revenue/yr ${money(g.revenuePerYear)}, lost ${pct(g.lostShare)}`);
  }
  out.push(`RFM groups: ${a.rfm.groups.filter((g) => g.customers > 0).map((g) => `${g.group} ${g.customers}`).join(", ")}`);
  out.push("Benchmarks:");
  for (const b of a.benchmarks) out.push(`  ${b.metric.padEnd(22)} ${b.value === null ? "n/a" : b.metric === "ltv-cac" ? b.value.toFixed(2) : pct(b.value)} → ${b.rating ?? b.note ?? "n/a"}`);
  const triggered = a.actions.filter((x) => x.triggered);
  out.push(`Recommended actions: ${triggered.length === 0 ? "none triggered" : ""}`);
  for (const x of triggered) out.push(`  - ${x.rule}: ${x.advice} (${Object.entries(x.figures).map(([k, v]) => `${k}=${v === null ? "n/a" : fmt(v)}`).join(", ")})`);
  out.push("Active customers now vs before: " + a.series.activeCustomers.map((p) => `${p.monthsAgo}m ago ${p.active}`).join(", "));
  out.push("");
  const m = a.models;
  if (m.status === "insufficient-data") {
    out.push(`Models: ${m.reason} Only descriptive metrics are shown.`);
  } else {
    const show = (name: string, r: Record<string, unknown> | undefined, keys: string[]) => {
      if (!r) return;
      out.push(`  ${name.padEnd(11)} ${keys.map((k) => `${k}=${fmt(r[k] as number)}`).join(" ")} LL=${fmt(r.logLikelihood as number, 1)} ${r.converged ? "converged" : "NOT converged"}`);
    };
    out.push(`Models (time unit ${m.timeUnit}; default for scores: ${m.default}, chosen by ${m.defaultChosenBy}):`);
    show("BG/NBD", m.bgnbd, ["r", "alpha", "a", "b"]);
    show("MBG/NBD", m.mbgnbd, ["r", "alpha", "a", "b"]);
    show("Pareto/NBD", m.paretoNbd, ["r", "alpha", "s", "beta"]);
    for (const x of m.skipped) out.push(`  ${x.model} not fitted: ${x.reason}`);
    if (m.gammaGamma) show("Gamma-Gamma", m.gammaGamma as unknown as Record<string, unknown>, ["p", "q", "gamma"]);
    const t = m.totals;
    out.push(`  expected orders next ${m.horizon} ${m.timeUnit}s: ${t.expectedPurchases.estimate.toFixed(1)} (${(t.intervalLevel * 100).toFixed(0)}% interval ${t.expectedPurchases.lower?.toFixed(1) ?? "n/a"} – ${t.expectedPurchases.upper?.toFixed(1) ?? "n/a"})`);
    out.push(`  12-month CLV of all customers: ${money(t.clv.estimate)} (${money(t.clv.lower)} – ${money(t.clv.upper)})`);
    if ("ranking" in m.backtest) {
      for (const r of m.backtest.ranking) out.push(`  back-test ${r.model}: predicted ${r.predictedTotal.toFixed(1)} vs actual ${r.actualTotal} repeat orders in the last ${m.backtest.holdoutDays} days, MAE ${r.meanAbsoluteError.toFixed(3)}`);
    } else out.push(`  back-test skipped: ${m.backtest.skipped}`);
  }
  return out.join("\n") + "\n";
}
