import { describe, expect, it } from "vitest";
import { analyzeStore } from "../analyze-store";
import { dayIndexFromIsoDate, isoDateFromDayIndex } from "../calendar/calendar-day";
import { createSeededRng } from "../math/seeded-rng.ts";
import { simulateBgNbdPurchaseTimes } from "../models/index.ts";
import { testDataset, type TestOrder } from "../testing/test-dataset";

const AS_OF = "2024-06-30";

/** `customers` MBG/NBD customers (CDNOW-like, weeks) whose first orders spread over `spanDays`. */
function smallStore(customers: number, spanDays: number, seed: number): TestOrder[] {
  const rng = createSeededRng(seed);
  const asOf = dayIndexFromIsoDate(AS_OF);
  const ages = Array.from({ length: customers }, () => (spanDays * rng()) / 7);
  const times = simulateBgNbdPurchaseTimes({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }, { observationLengths: ages, rng, dropOutAfterFirst: true });
  const orders: TestOrder[] = [];
  times.forEach((ts, c) => {
    for (const t of [0, ...ts]) orders.push([`c${c}`, isoDateFromDayIndex(asOf - Math.round((ages[c] - t) * 7)), 20 + 30 * rng()]);
  });
  return orders;
}

describe("small stores: predictions from about 50 customers through the reference prior", () => {
  it("a 60-customer store with 180 days of history gets fitted models, wide intervals and a stated prior", () => {
    const orders = smallStore(60, 180, 3);
    const a = analyzeStore(testDataset(orders), { asOf: AS_OF, timeUnit: "week" });
    if (a.models.status !== "fitted") throw new Error(`not fitted: ${a.models.status === "insufficient-data" ? a.models.reason : ""}`);
    expect(a.models.prior).toEqual({ reference: "cdnow-published-fits", sd: 1, belowCustomers: 500 });
    const { expectedPurchases } = a.models.totals;
    expect(expectedPurchases.lower!).toBeLessThan(expectedPurchases.estimate);
    expect(expectedPurchases.upper!).toBeGreaterThan(expectedPurchases.estimate);
    // Honest width: with 60 customers the store total is uncertain by tens of percent.
    expect((expectedPurchases.upper! - expectedPurchases.lower!) / expectedPurchases.estimate).toBeGreaterThan(0.2);
    for (const s of a.scores!.rows()) {
      expect(s.p_alive).not.toBeNull();
      expect(s.p_alive_low!).toBeLessThanOrEqual(s.p_alive_high!);
    }
    // The back-test either ran or says why not: never silent.
    expect("ranking" in a.models.backtest || typeof (a.models.backtest as { skipped: string }).skipped === "string").toBe(true);
  });

  it("below that it says plainly what is missing", () => {
    const orders = smallStore(25, 180, 4);
    const a = analyzeStore(testDataset(orders), { asOf: AS_OF, timeUnit: "week" });
    expect(a.models.status).toBe("insufficient-data");
    if (a.models.status === "insufficient-data") {
      expect(a.models.reason).toMatch(/only \d customers have bought more than once \(at least 8 are needed/);
      expect(a.models.details[0]).toMatchObject({ kind: "too-few-repeat-customers", required: 8 });
    }
  });

  it("big stores are fitted by plain maximum likelihood (no prior)", () => {
    const orders = smallStore(2_500, 400, 5);
    const a = analyzeStore(testDataset(orders), { asOf: AS_OF, timeUnit: "week" });
    if (a.models.status !== "fitted") throw new Error("not fitted");
    expect(a.models.prior).toBeNull();
  });
});
