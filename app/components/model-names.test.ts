import { describe, expect, it } from "vitest";
import { withRange } from "./model-names";

describe("withRange", () => {
  it("writes a figure with its interval", () => {
    expect(withRange("95.0%", "94.6%", "95.6%")).toBe("95.0% (94.6% – 95.6%)");
  });

  it("writes the figure alone when its interval reads as the figure itself", () => {
    expect(withRange("0.1%", "0.1%", "0.1%")).toBe("0.1%");
    // One end apart is still a range.
    expect(withRange("$0.04", "$0.04", "$0.05")).toBe("$0.04 ($0.04 – $0.05)");
  });
});
