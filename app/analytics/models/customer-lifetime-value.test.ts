import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases } from "./bg-nbd.ts";
import { customerLifetimeValue, TIME_UNITS_PER_MONTH } from "./customer-lifetime-value.ts";
import { InvalidModelInputError } from "./invalid-model-input-error.ts";

describe("customerLifetimeValue(input)", () => {
  it("discounts each month's revenue at (1 + d)^month: 1 purchase/month × $100 at 1 % over 3 months", () => {
    const result = customerLifetimeValue({
      expectedPurchasesBy: (t) => t / 30.4375, // one purchase per month, time in days
      expectedSpend: 100,
      timeUnitsPerMonth: TIME_UNITS_PER_MONTH.days,
      months: 3,
    });
    // hand computation: 100/1.01 + 100/1.01² + 100/1.01³
    expect(result.value).toBeCloseTo(100 / 1.01 + 100 / 1.0201 + 100 / 1.030301, 10);
    expect(result.byMonth.map((m) => m.month)).toEqual([1, 2, 3]);
    expect(result.expectedPurchases).toBeCloseTo(3, 12);
  });

  it("without discounting equals E[purchases over the horizon] × spend (BG/NBD, weeks → months)", () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const by = (t: number): number => bgNbdConditionalExpectedPurchases(params, t, 2, 30.43, 38.86);
    const result = customerLifetimeValue({ expectedPurchasesBy: by, expectedSpend: 35, timeUnitsPerMonth: TIME_UNITS_PER_MONTH.weeks, monthlyDiscountRate: 0 });
    // 12 months = 365.25 / 7 weeks
    expect(result.value).toBeCloseTo(35 * by(365.25 / 7), 10);
  });

  it("converts weeks to months as 30.4375 / 7", () => {
    expect(TIME_UNITS_PER_MONTH.weeks).toBeCloseTo(4.348214, 6);
  });

  it("rejects a non-positive month length, negative spend and a bad horizon", () => {
    const base = { expectedPurchasesBy: (t: number) => t, expectedSpend: 10, timeUnitsPerMonth: 1 };
    expect(() => customerLifetimeValue({ ...base, timeUnitsPerMonth: 0 })).toThrow(InvalidModelInputError);
    expect(() => customerLifetimeValue({ ...base, expectedSpend: -1 })).toThrow(/expectedSpend/);
    expect(() => customerLifetimeValue({ ...base, months: 0 })).toThrow(/months/);
    expect(() => customerLifetimeValue({ ...base, monthlyDiscountRate: -0.1 })).toThrow(/monthlyDiscountRate/);
  });
});
