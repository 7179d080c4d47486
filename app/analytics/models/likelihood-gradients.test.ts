import { describe, expect, it } from "vitest";
import { bgNbdModel } from "./bg-nbd.ts";
import { gammaGammaLogLikelihood, gammaGammaLogLikelihoodGradient } from "./gamma-gamma.ts";
import type { CountingModelSpec } from "./counting-model.ts";
import { mbgNbdModel } from "./mbg-nbd.ts";
import { paretoNbdModel } from "./pareto-nbd.ts";
import { groupPurchaseSummaries, preparePurchaseSummary, type PurchaseSummaryRow } from "./purchase-summary.ts";
import { loadCdnowSummary } from "./testing/cdnow-fixture.ts";

// The analytic gradients are checked against central differences of the likelihood itself
// (an independent computation), in log-parameter space, at points near and far from the
// optimum, on the CDNOW summary (weeks) and on data with heavy buyers and tx = T rows.
const cdnow = groupPurchaseSummaries(loadCdnowSummary());
const heavy: PurchaseSummaryRow[] = [
  { x: 0, tx: 0, T: 30, count: 40 },
  { x: 1, tx: 2, T: 3, count: 5 },
  { x: 3, tx: 10, T: 10, count: 2 },
  { x: 40, tx: 50, T: 52, count: 3 },
  { x: 150, tx: 70, T: 90, count: 1 },
  { x: 7, tx: 0.5, T: 80, count: 4 },
];

function numericGradient<P extends object>(spec: CountingModelSpec<P>, rows: readonly PurchaseSummaryRow[], params: P): number[] {
  const data = preparePurchaseSummary(rows);
  const names = spec.parameterNames;
  return names.map((name) => {
    const h = 1e-5;
    const at = (delta: number) => spec.logLikelihood({ ...params, [name]: (params as Record<string, number>)[name] * Math.exp(delta) } as P, data);
    return (at(h) - at(-h)) / (2 * h);
  });
}

function expectGradientsAgree<P extends object>(spec: CountingModelSpec<P>, rows: readonly PurchaseSummaryRow[], points: readonly P[]) {
  for (const params of points) {
    const both = spec.logLikelihoodWithGradient!(params, preparePurchaseSummary(rows));
    const analytic = both.gradient;
    // The value that comes with the gradient is the likelihood itself.
    expect(both.value).toBeCloseTo(spec.logLikelihood(params, preparePurchaseSummary(rows)), 8);
    const numeric = numericGradient(spec, rows, params);
    // Differences of a sum of magnitude |LL| carry rounding noise ≈ 1e-16 · |LL| / h.
    const noise = 1e-9 * Math.abs(spec.logLikelihood(params, preparePurchaseSummary(rows)));
    const tolerance = noise + 1e-6 * Math.max(1, ...numeric.map(Math.abs));
    analytic.forEach((g, i) => expect(Math.abs(g - numeric[i]), `${spec.name} ${spec.parameterNames[i]} at ${JSON.stringify(params)}`).toBeLessThan(tolerance));
  }
}

const bgPoints = [
  { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  { r: 1, alpha: 1, a: 1, b: 1 },
  { r: 3.5, alpha: 40, a: 0.05, b: 12 },
  { r: 0.02, alpha: 0.3, a: 8, b: 0.4 },
];

describe("analytic log-likelihood gradients agree with finite differences", () => {
  it("BG/NBD", () => {
    expectGradientsAgree(bgNbdModel, cdnow, bgPoints);
    expectGradientsAgree(bgNbdModel, heavy, bgPoints);
  });

  it("MBG/NBD", () => {
    expectGradientsAgree(mbgNbdModel, cdnow, bgPoints);
    expectGradientsAgree(mbgNbdModel, heavy, bgPoints);
  });

  it("Pareto/NBD, with α above and below β and ₂F₁ arguments on both sides of 0.9", () => {
    const points = [
      { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 },
      { r: 1, alpha: 1, s: 1, beta: 1 },
      { r: 2.5, alpha: 0.5, s: 0.3, beta: 60 },
      { r: 0.2, alpha: 80, s: 3, beta: 0.4 },
      { r: 1.1, alpha: 10.66, s: 1.54, beta: 40.4 },
    ];
    expectGradientsAgree(paretoNbdModel, cdnow, points);
    expectGradientsAgree(paretoNbdModel, heavy, points);
  });

  it("Gamma-Gamma", () => {
    // CDNOW repeat customers' frequencies with spread-out mean spends (any positive values do).
    const spend = loadCdnowSummary()
      .filter((c) => c.x > 0)
      .map((c, i) => ({ x: c.x, meanSpend: 5 + ((i * 37) % 101) * (1 + (i % 7)) }));
    spend.push({ x: 1, meanSpend: 0.5 }, { x: 60, meanSpend: 900 });
    for (const params of [
      { p: 6.25, q: 3.74, gamma: 15.44 },
      { p: 1, q: 1, gamma: 1 },
      { p: 0.3, q: 12, gamma: 400 },
      { p: 40, q: 0.8, gamma: 0.05 },
    ]) {
      const analytic = gammaGammaLogLikelihoodGradient(params, spend);
      const ll = gammaGammaLogLikelihood(params, spend);
      const h = 1e-5;
      (["p", "q", "gamma"] as const).forEach((name, i) => {
        const at = (d: number) => gammaGammaLogLikelihood({ ...params, [name]: params[name] * Math.exp(d) }, spend);
        const numeric = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(analytic[i] - numeric), `gamma-gamma ${name} at ${JSON.stringify(params)}`).toBeLessThan(1e-9 * Math.abs(ll) + 1e-6 * Math.abs(numeric));
      });
    }
  });
});
