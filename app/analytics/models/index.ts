/**
 * Public API of the customer-base models (pure TypeScript: no I/O, no clock, no
 * Math.random). Fits return `{ params, logLikelihood, converged, iterations, scale }`;
 * predictions take `params` first. Time is in the caller's unit throughout (weeks in the
 * published CDNOW figures); see docs/models/*.md for derivations.
 */

// ── Input validation ─────────────────────────────────────────────────────────────────
export { InvalidModelInputError } from "./invalid-model-input-error.ts";
export {
  assertPurchaseSummary,
  groupPurchaseSummaries,
  type CustomerPurchaseSummary,
  type PurchaseSummaryRow,
} from "./purchase-summary.ts";

// ── Shared fitting machinery ─────────────────────────────────────────────────────────
export {
  countingModelLogParameterCovariance,
  countingModelStandardErrors,
  type CountingModelName,
  type CountingModelSpec,
  type FitOptions,
  type ModelFit,
} from "./counting-model.ts";

// ── BG/NBD (Fader, Hardie & Lee 2005) ────────────────────────────────────────────────
export {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesGivenAlive,
  bgNbdLogLikelihood,
  bgNbdModel,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type BgNbdParams,
} from "./bg-nbd.ts";

// ── MBG/NBD (Batislam, Denizel & Filiztekin 2007) ────────────────────────────────────
export {
  fitMbgNbd,
  mbgNbdConditionalExpectedPurchases,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesGivenAlive,
  mbgNbdLogLikelihood,
  mbgNbdModel,
  mbgNbdProbabilityAlive,
  type MbgNbdParams,
} from "./mbg-nbd.ts";

// ── Pareto/NBD (Schmittlein, Morrison & Colombo 1987) ────────────────────────────────
export {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesGivenAlive,
  paretoNbdLogLikelihood,
  paretoNbdModel,
  paretoNbdProbabilityAlive,
  type ParetoNbdParams,
} from "./pareto-nbd.ts";

// ── Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV") ──────────────────────
export {
  assertSpendSummary,
  fitGammaGamma,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  gammaGammaLogParameterCovariance,
  spendFrequencyCorrelation,
  type GammaGammaParams,
  type SpendSummaryRow,
} from "./gamma-gamma.ts";

// ── Any counting model by name ───────────────────────────────────────────────────────
export {
  bindCountingModel,
  countingModelSpec,
  fitCountingModelByName,
  type BoundCountingModel,
  type CountingModelParams,
  type FittedCountingModel,
} from "./fitted-counting-model.ts";
