import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { testDataset } from "../testing/test-dataset";
import { weekdayHourMatrix } from "./weekday-hour";

describe("weekdayHourMatrix(dataset, asOfDay)", () => {
  it("counts orders by local weekday (Monday first) and hour, guests included, nothing after as-of", () => {
    const d = testDataset([
      ["a", "2024-01-01T09:15", 10], // Monday 09
      [null, "2024-01-07T23:59", 5], // Sunday 23
      ["a", "2024-01-08T09:00", 1], // Monday 09
      ["a", "2024-02-01T09:00", 1], // after as-of
    ]);
    const m = weekdayHourMatrix(d, dayIndexFromIsoDate("2024-01-31"));
    expect(m.orders[0][9]).toBe(2);
    expect(m.revenue[0][9]).toBe(11);
    expect(m.orders[6][23]).toBe(1);
    expect(m.orders.flat().reduce((s, v) => s + v, 0)).toBe(3);
    expect(m.hasTimeOfDay).toBe(true);
  });
  it("reports dates without a time of day", () => {
    const d = testDataset([["a", "2024-01-01", 1]]);
    expect(weekdayHourMatrix(d, dayIndexFromIsoDate("2024-01-31")).hasTimeOfDay).toBe(false);
  });
});
