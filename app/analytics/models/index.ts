/**
 * Public API of the customer-base models (pure TypeScript: no I/O, no clock, no
 * Math.random). Fits return `{ params, logLikelihood, converged, iterations, scale }`;
 * predictions take `params` first. Time is in the caller's unit throughout (weeks in the
 * published CDNOW figures); see docs/models/*.md for derivations.
 */

// ── Input validation ─────────────────────────────────────────────────────────────────
export { InvalidModelInputError } from "./invalid-model-input-error.ts";
export {
  assertCustomerPurchaseSummary,
  assertPurchaseSummary,
  groupPurchaseSummaries,
  type CustomerPurchaseSummary,
  type PurchaseSummaryRow,
} from "./purchase-summary.ts";

// ── Shared fitting machinery ─────────────────────────────────────────────────────────
export {
  countingModelLogParameterCovariance,
  countingModelCurvature,
  referenceLogNormalPrior,
  REFERENCE_PRIOR_SD,
  type LogNormalPrior,
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
  gammaGammaLogLikelihoodGradient,
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

// ── Customer lifetime value and next purchase ────────────────────────────────────────
export {
  customerLifetimeValue,
  DAYS_PER_MONTH,
  TIME_UNITS_PER_MONTH,
  type CustomerLifetimeValue,
  type CustomerLifetimeValueInput,
  type CustomerLifetimeValueMonth,
} from "./customer-lifetime-value.ts";
export {
  expectedNextPurchase,
  type ExpectedNextPurchase,
  type ExpectedNextPurchaseOptions,
} from "./expected-next-purchase.ts";

// ── Uncertainty (parameter draws from the observed information) ──────────────────────
export {
  countingModelParameterDraws,
  gammaGammaParameterDraws,
  percentileInterval,
  type ParameterDrawOptions,
  type PredictionInterval,
} from "./prediction-intervals.ts";

// ── Back-test and model choice ───────────────────────────────────────────────────────
export {
  backtestModel,
  chooseDefaultChurnModel,
  type BacktestCustomer,
  type AliveCalibrationGroup,
  type BacktestResult,
  type ChurnModelChoice,
  type FrequencyBucket,
} from "./backtest.ts";

export { expectedPurchasesByInterval, type IntervalPurchaseRow } from "./expected-purchases-by-interval.ts";

// ── Readiness (data only, no wording) ────────────────────────────────────────────────
export {
  assessModelReadiness,
  type ModelReadiness,
  type ModelReadinessInput,
  type ModelReadinessReason,
} from "./model-readiness.ts";

// ── Simulation (tests, demos) and seeded randomness ──────────────────────────────────
export { bgFamilyProbabilityPurchaseWithin, nextPurchaseQuantile, paretoNbdProbabilityPurchaseWithin } from "./next-purchase-distribution.ts";
export { simulateBgNbdPurchaseTimes, summariseAt, type SimulateOptions } from "./simulate-bg-nbd.ts";
export { createSeededRng, type Rng } from "../math/seeded-rng.ts";
