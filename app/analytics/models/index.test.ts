import { describe, expect, it } from "vitest";
import * as models from "./index.ts";

// The analytics-core branch imports these names; renaming one breaks the CLI and the
// per-customer scores, so the list is pinned here.
const PUBLIC_FUNCTIONS = [
  "assertCustomerPurchaseSummary",
  "assertPurchaseSummary",
  "groupPurchaseSummaries",
  "countingModelLogParameterCovariance",
  "countingModelStandardErrors",
  "fitBgNbd",
  "bgNbdLogLikelihood",
  "bgNbdProbabilityAlive",
  "bgNbdConditionalExpectedPurchases",
  "bgNbdExpectedPurchases",
  "bgNbdExpectedPurchasesGivenAlive",
  "fitMbgNbd",
  "mbgNbdLogLikelihood",
  "mbgNbdProbabilityAlive",
  "mbgNbdConditionalExpectedPurchases",
  "mbgNbdExpectedPurchases",
  "mbgNbdExpectedPurchasesGivenAlive",
  "fitParetoNbd",
  "paretoNbdLogLikelihood",
  "paretoNbdProbabilityAlive",
  "paretoNbdConditionalExpectedPurchases",
  "paretoNbdExpectedPurchases",
  "paretoNbdExpectedPurchasesGivenAlive",
  "fitGammaGamma",
  "gammaGammaLogLikelihood",
  "gammaGammaExpectedSpend",
  "gammaGammaLogParameterCovariance",
  "assertSpendSummary",
  "spendFrequencyCorrelation",
  "bindCountingModel",
  "countingModelSpec",
  "fitCountingModelByName",
  "customerLifetimeValue",
  "expectedNextPurchase",
  "countingModelParameterDraws",
  "gammaGammaParameterDraws",
  "percentileInterval",
  "backtestModel",
  "chooseDefaultChurnModel",
  "assessModelReadiness",
  "simulateBgNbdPurchaseTimes",
  "summariseAt",
  "createSeededRng",
];

describe("models/index.ts public API", () => {
  it("exports every documented function", () => {
    for (const name of PUBLIC_FUNCTIONS) expect(typeof (models as Record<string, unknown>)[name], name).toBe("function");
  });

  it("exports the error class, model specs and month conversion", () => {
    expect(new models.InvalidModelInputError("x", 3, "bad")).toBeInstanceOf(Error);
    expect(models.bgNbdModel.parameterNames).toEqual(["r", "alpha", "a", "b"]);
    expect(models.mbgNbdModel.parameterNames).toEqual(["r", "alpha", "a", "b"]);
    expect(models.paretoNbdModel.parameterNames).toEqual(["r", "alpha", "s", "beta"]);
    expect(models.TIME_UNITS_PER_MONTH.days).toBe(models.DAYS_PER_MONTH);
  });
});
