import { describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "../calendar/calendar-day";
import { customerFactsAsOf } from "../customers/customer-facts";
import { STAGE_ACTIVE, STAGE_LOST, STAGE_NEW, STAGE_SLIPPING } from "../lifecycle/lifecycle-stage";
import { testDataset } from "../testing/test-dataset";
import { countCustomerTypes, CUSTOMER_TYPES, customerTypes } from "./customer-types";

describe("customerTypes(facts, stages, isVip, pAlive)", () => {
  // Customers 0..6 with 1 or 2 orders; stages and VIP flags set by hand.
  const d = testDataset([
    ["n", "2024-01-01", 1], ["n", "2024-01-02", 1], // 0: new (repeat, but new wins)
    ["v", "2024-01-01", 1], // 1: VIP, slipping → VIP
    ["vl", "2024-01-01", 1], ["vl", "2024-01-05", 1], // 2: VIP but lost → at risk
    ["s", "2024-01-01", 1], ["s", "2024-01-05", 1], // 3: repeat slipping → at risk
    ["p", "2024-01-01", 1], ["p", "2024-01-05", 1], // 4: repeat active but P(alive) 0.3 → at risk
    ["r", "2024-01-01", 1], ["r", "2024-01-05", 1], // 5: repeat active → returning
    ["o", "2024-01-01", 1], // 6: one order, active → one-time inactive
  ]);
  const facts = customerFactsAsOf(d, dayIndexFromIsoDate("2024-03-01"));
  const stages = Uint8Array.from([STAGE_NEW, STAGE_SLIPPING, STAGE_LOST, STAGE_SLIPPING, STAGE_ACTIVE, STAGE_ACTIVE, STAGE_ACTIVE]);
  const vip = new Set([1, 2]);

  it("applies the documented rule order: new, VIP, at risk, returning, one-time inactive", () => {
    const pAlive = Float64Array.from([0.9, 0.9, 0.9, 0.9, 0.3, 0.9, 0.9]);
    const seg = customerTypes(facts, stages, (c) => vip.has(c), (c) => pAlive[c]);
    expect(Array.from(seg).map((s) => CUSTOMER_TYPES[s])).toEqual(["new", "vip", "at-risk", "at-risk", "at-risk", "returning", "one-time-inactive"]);
    expect(countCustomerTypes(seg)).toEqual({ new: 1, vip: 1, "at-risk": 3, returning: 1, "one-time-inactive": 1 });
  });

  it("without a model, P(alive) plays no part", () => {
    const seg = customerTypes(facts, stages, (c) => vip.has(c), null);
    expect(CUSTOMER_TYPES[seg[4]]).toBe("returning");
  });
});
