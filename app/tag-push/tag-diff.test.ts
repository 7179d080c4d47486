import { describe, expect, it } from "vitest";
import { diffSegmentTags, segmentTag, type Member } from "./tag-diff";

const gid = (n: number) => `gid://shopify/Customer/${n}`;

function diff(members: Member[], tags: Record<string, string[]>, tag = "ci-vip", prefix = "ci-") {
  return diffSegmentTags({ tag, prefix, members, tagsOf: (id) => tags[id], holders: Object.keys(tags) });
}

describe("segmentTag", () => {
  it("is the prefix plus the handle, lower-case", () => {
    expect(segmentTag("CI-", "At-Risk")).toEqual({ ok: true, tag: "ci-at-risk" });
  });
  it("refuses what Shopify would refuse or split: commas, over 255 characters, no handle", () => {
    expect(segmentTag("ci-", "a,b")).toEqual({ ok: false, reason: "comma" });
    expect(segmentTag("ci-", "x".repeat(253))).toEqual({ ok: false, reason: "too-long" });
    expect(segmentTag("ci-", "x".repeat(252)).ok).toBe(true);
    expect(segmentTag("ci-", " ")).toEqual({ ok: false, reason: "empty" });
  });
});

describe("diffSegmentTags", () => {
  it("tags members without the tag and untags holders who left; members who have it stay untouched", () => {
    const result = diff(
      [{ customerShopifyId: gid(1), isControl: false }, { customerShopifyId: gid(2), isControl: false }],
      { [gid(2)]: ["ci-vip"], [gid(3)]: ["CI-VIP", "newsletter"] },
    );
    expect(result.joiners).toEqual([gid(1)]);
    expect(result.leavers).toEqual([gid(3)]);
    expect(result.unchanged).toBe(1);
  });

  it("never tags hold-outs, and untags a hold-out who carries the tag from an earlier push", () => {
    const result = diff(
      [{ customerShopifyId: gid(1), isControl: true }, { customerShopifyId: gid(2), isControl: true }],
      { [gid(2)]: ["ci-vip"] },
    );
    expect(result.joiners).toEqual([]);
    expect(result.leavers).toEqual([gid(2)]);
    expect(result.heldOut).toBe(2);
  });

  it("ignores every other tag, including other segments' tags with the same prefix", () => {
    const result = diff([], { [gid(1)]: ["ci-vip-2026", "vip", "ci-at-risk"] });
    expect(result.leavers).toEqual([]);
  });

  it("reports a joiner who already holds 250 tags instead of sending the 251st", () => {
    const full = Array.from({ length: 250 }, (_, i) => `t${i}`);
    const almost = full.slice(1);
    const result = diff(
      [{ customerShopifyId: gid(1), isControl: false }, { customerShopifyId: gid(2), isControl: false }],
      { [gid(1)]: full, [gid(2)]: almost },
    );
    expect(result.overLimit).toEqual([gid(1)]);
    expect(result.joiners).toEqual([gid(2)]);
  });

  it("undo: no members, so everyone holding the tag leaves", () => {
    expect(diff([], { [gid(1)]: ["ci-vip"], [gid(2)]: ["other"] }).leavers).toEqual([gid(1)]);
  });

  it("refuses a tag outside the app's prefix, so it can never touch the merchant's tags", () => {
    expect(() => diff([], {}, "vip", "ci-")).toThrow(/prefix/);
    expect(() => diff([], {}, "ci-", "ci-")).toThrow(/prefix/);
  });
});
