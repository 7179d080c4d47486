import { describe, expect, it } from "vitest";
import { figureFormat } from "./figure-format";

// Intl separates a number from its "%" with a no-break space in nl and da.
const plain = (text: string) => text.replace(/\u00a0/g, " ");

describe("figureFormat", () => {
  it("gives every share in a column one decimal, so 38 % and 41,6 % line up as 38,0 % and 41,6 %", () => {
    expect([0.38, 0.416, 0, 1].map(figureFormat("en", null).percent)).toEqual(["38.0%", "41.6%", "0.0%", "100.0%"]);
    expect([0.38, 0.416].map((v) => plain(figureFormat("nl", null).percent(v)))).toEqual(["38,0%", "41,6%"]);
    expect([0.38, 0.416].map((v) => plain(figureFormat("da", null).percent(v)))).toEqual(["38,0 %", "41,6 %"]);
  });

  it("keeps a chart axis' ticks short: whole percentages unless the tick needs a decimal", () => {
    expect([0, 0.2, 0.025].map(figureFormat("en", null).axisPercent)).toEqual(["0%", "20%", "2.5%"]);
    expect([0.2, 0.025].map((v) => plain(figureFormat("da", null).axisPercent(v)))).toEqual(["20 %", "2,5 %"]);
  });

  it("states a relative change with its sign and one decimal, like the shares beside it", () => {
    expect([0.33, 0.394, -0.002, 0].map(figureFormat("en", null).change)).toEqual(["+33.0%", "+39.4%", "-0.2%", "0.0%"]);
    expect(plain(figureFormat("da", null).change(0.33))).toBe("+33,0 %");
  });

  it("gives a number of orders a model expects two decimals always, so a column lines up", () => {
    expect([4.5, 3.43, 0.05, 12].map(figureFormat("en", null).expectedOrders)).toEqual(["4.50", "3.43", "0.05", "12.00"]);
    expect([4.5, 1333.25].map(figureFormat("nl", null).expectedOrders)).toEqual(["4,50", "1.333,25"]);
  });

  it("gives figures compared in one column as many decimals as it takes to tell different ones apart", () => {
    const en = figureFormat("en", null);
    // The demo's back-test: 0.2990 and 0.3004 both read "0.30" with two decimals.
    const errors = [0.29897775530725235, 0.3003648979265594];
    expect(errors.map(en.comparedDecimals(errors))).toEqual(["0.299", "0.300"]);
    expect([0.41, 0.3].map(en.comparedDecimals([0.41, 0.3]))).toEqual(["0.41", "0.30"]);
    // Equal values never ask for more digits, and four is the most.
    expect([0.5, 0.5].map(en.comparedDecimals([0.5, 0.5]))).toEqual(["0.50", "0.50"]);
    expect([0.300001, 0.300002].map(en.comparedDecimals([0.300001, 0.300002]))).toEqual(["0.3000", "0.3000"]);
    expect(figureFormat("da", null).comparedDecimals(errors)(errors[0])).toBe("0,299");
  });

  it("never writes a minus sign on a figure that rounds to zero, in any language, and keeps it on one that does not", () => {
    for (const locale of ["en", "nl", "da"]) {
      const format = figureFormat(locale, "USD");
      expect(format.decimal(-0.004)).toBe(format.decimal(0));
      expect(format.money(-0.001)).toBe(format.money(0));
      expect(format.count(-0.2)).toBe("0");
      expect(format.percent(-0.0001)).toBe(format.percent(0));
      expect(format.decimal(-0.5)).toMatch(/^-0[.,]5$/);
      expect(format.money(-0.09)).toMatch(/-/);
    }
  });
});
