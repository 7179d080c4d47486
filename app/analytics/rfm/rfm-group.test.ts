import { describe, expect, it } from "vitest";
import { RFM_GROUPS, rfmGroup } from "./rfm-group";

describe("rfmGroup(r, f, m)", () => {
  it("names the corners of the map", () => {
    expect(rfmGroup(5, 5, 5)).toBe("champions");
    expect(rfmGroup(1, 1, 1)).toBe("lost");
    expect(rfmGroup(5, 1, 1)).toBe("new");
    expect(rfmGroup(1, 5, 5)).toBe("cant-lose");
    expect(rfmGroup(4, 1, 1)).toBe("promising");
    expect(rfmGroup(3, 3, 3)).toBe("need-attention");
    expect(rfmGroup(3, 1, 2)).toBe("about-to-sleep");
    expect(rfmGroup(2, 4, 3)).toBe("at-risk");
    expect(rfmGroup(2, 1, 2)).toBe("hibernating");
    expect(rfmGroup(4, 5, 4)).toBe("loyal");
    expect(rfmGroup(5, 2, 3)).toBe("potential-loyalist");
  });

  it("uses FM = round((F + M) / 2): F 4 and M 5 → FM 5", () => {
    expect(rfmGroup(1, 4, 5)).toBe("cant-lose");
    expect(rfmGroup(1, 4, 4)).toBe("at-risk");
  });

  it("names every one of the 125 score combinations with one of the 11 groups, and uses all 11", () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) seen.add(rfmGroup(r, f, m));
    expect([...seen].sort()).toEqual([...RFM_GROUPS].sort());
  });
});
