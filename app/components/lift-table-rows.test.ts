import { describe, expect, it } from "vitest";
import { createTranslator } from "~/i18n/translate";
import { liftReport } from "~/tag-push/lift";
import { figureFormat } from "./figure-format";
import { liftTableRows } from "./lift-table-rows";

// 200 tagged members of whom 60 ordered (2 orders of 25 each), 100 held out of whom 20 did.
const outcomes = (n: number, buyers: number) => Array.from({ length: n }, (_, i) => (i < buyers ? { orders: 2, revenue: 50 } : { orders: 0, revenue: 0 }));
const lift = liftReport(outcomes(200, 60), outcomes(100, 20));
const plain = (rows: string[][]) => rows.map((row) => row.map((cell) => cell.replace(/\u00a0/g, " ")));

describe("the lift table", () => {
  it("states conversion's difference and interval in percentage points, the means in their own unit", () => {
    if (lift.state !== "measured") throw new Error(lift.state);
    const interval = (low: number, high: number) => `${(low * 100 >= 0 ? "+" : "-") + Math.abs(low * 100).toFixed(1)} – ${(high * 100 >= 0 ? "+" : "-") + Math.abs(high * 100).toFixed(1)} pp`;
    const [orders, revenue, conversion] = plain(liftTableRows(lift, figureFormat("en", "USD"), createTranslator("en")));
    expect(conversion.slice(0, 4)).toEqual(["Conversion", "30.0%", "20.0%", "+10.0 pp"]);
    expect(conversion[4]).toBe(interval(lift.conversion.low, lift.conversion.high));
    expect(orders.slice(0, 4)).toEqual(["Orders", "0.6", "0.4", "0.2"]);
    expect(revenue.slice(0, 4)).toEqual(["Revenue", "$15.00", "$10.00", "$5.00"]);
    const [, , danishConversion] = plain(liftTableRows(lift, figureFormat("da", "USD"), createTranslator("da")));
    expect(danishConversion[3]).toBe("+10,0 procentpoint");
  });
});
