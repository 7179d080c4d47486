import { describe, expect, it } from "vitest";
import { isControlMember } from "./hold-out";

const customers = Array.from({ length: 20_000 }, (_, i) => `gid://shopify/Customer/${1_000_000 + i}`);

describe("isControlMember(segmentId, customer, percent)", () => {
  it("holds out close to the asked share of members", () => {
    const held = customers.filter((c) => isControlMember(7, c, 10)).length;
    // 20,000 draws at p = 0.1: sd ≈ 42, so ±1 % (200) is far outside chance.
    expect(held / customers.length).toBeGreaterThan(0.09);
    expect(held / customers.length).toBeLessThan(0.11);
  });

  it("gives the same answer every time (stable across refreshes)", () => {
    const first = customers.map((c) => isControlMember(3, c, 25));
    const again = customers.map((c) => isControlMember(3, c, 25));
    expect(again).toEqual(first);
  });

  it("draws a different control group for another segment", () => {
    const a = customers.filter((c) => isControlMember(1, c, 10));
    const b = new Set(customers.filter((c) => isControlMember(2, c, 10)));
    const overlap = a.filter((c) => b.has(c)).length;
    // Independent draws overlap in about 10 % of a; the same draw would overlap 100 %.
    expect(overlap / a.length).toBeLessThan(0.2);
  });

  it("keeps every hold-out when the percentage is raised", () => {
    const at10 = customers.filter((c) => isControlMember(5, c, 10));
    expect(at10.every((c) => isControlMember(5, c, 20))).toBe(true);
  });

  it("holds out nobody at 0 % and everybody at 100 %", () => {
    expect(customers.some((c) => isControlMember(9, c, 0))).toBe(false);
    expect(customers.every((c) => isControlMember(9, c, 100))).toBe(true);
  });
});
