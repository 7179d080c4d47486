import { describe, expect, it } from "vitest";
import { RFM_SEGMENTS, rfmSegment } from "./rfm-segment";

describe("rfmSegment(r, f, m)", () => {
  it("names the corners of the map", () => {
    expect(rfmSegment(5, 5, 5)).toBe("champions");
    expect(rfmSegment(1, 1, 1)).toBe("lost");
    expect(rfmSegment(5, 1, 1)).toBe("new");
    expect(rfmSegment(1, 5, 5)).toBe("cant-lose");
    expect(rfmSegment(4, 1, 1)).toBe("promising");
    expect(rfmSegment(3, 3, 3)).toBe("need-attention");
    expect(rfmSegment(3, 1, 2)).toBe("about-to-sleep");
    expect(rfmSegment(2, 4, 3)).toBe("at-risk");
    expect(rfmSegment(2, 1, 2)).toBe("hibernating");
    expect(rfmSegment(4, 5, 4)).toBe("loyal");
    expect(rfmSegment(5, 2, 3)).toBe("potential-loyalist");
  });

  it("uses FM = round((F + M) / 2): F 4 and M 5 → FM 5", () => {
    expect(rfmSegment(1, 4, 5)).toBe("cant-lose");
    expect(rfmSegment(1, 4, 4)).toBe("at-risk");
  });

  it("names every one of the 125 score combinations with one of the 11 groups, and uses all 11", () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) seen.add(rfmSegment(r, f, m));
    expect([...seen].sort()).toEqual([...RFM_SEGMENTS].sort());
  });
});
