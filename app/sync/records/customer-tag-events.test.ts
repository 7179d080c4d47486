import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyTagChange, type CustomerTagState, type TagChange } from "./customer-tag-events";

const empty: CustomerTagState = { tags: [], tagsAsOf: null, events: {} };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 10, minute));
const step = (state: CustomerTagState, change: TagChange): CustomerTagState => ({ ...state, ...applyTagChange(state, change) });

describe("applyTagChange", () => {
  it("adds and removes tags case-insensitively, keeping the first spelling", () => {
    let state = step({ ...empty, tags: ["VIP"] }, { add: ["vip", "wholesale"], at: at(1) });
    expect(state.tags).toEqual(["VIP", "wholesale"]);
    state = step(state, { remove: ["Wholesale"], at: at(2) });
    expect(state.tags).toEqual(["VIP"]);
  });

  it("a removal delivered before the earlier addition leaves the tag off", () => {
    const removedFirst = step(empty, { remove: ["vip"], at: at(5) });
    const thenAdded = step(removedFirst, { add: ["vip"], at: at(0) });
    expect(thenAdded.tags).toEqual([]);
  });

  it("an addition delivered before the earlier removal leaves the tag on", () => {
    const state = step(step({ ...empty, tags: ["vip"] }, { add: ["vip"], at: at(5) }), { remove: ["vip"], at: at(0) });
    expect(state.tags).toEqual(["vip"]);
  });

  it("an event from before the snapshot the tags came from changes nothing", () => {
    const snapshot: CustomerTagState = { tags: ["loyal"], tagsAsOf: at(30), events: {} };
    expect(step(snapshot, { add: ["vip"], remove: ["loyal"], at: at(10) }).tags).toEqual(["loyal"]);
    expect(step(snapshot, { add: ["vip"], remove: ["loyal"], at: at(31) }).tags).toEqual(["vip"]);
  });

  it("events without a time are applied as they come", () => {
    expect(step(step(empty, { add: ["a"], at: null }), { remove: ["a"], at: null }).tags).toEqual([]);
  });

  it("forgets per-tag times the snapshot has overtaken", () => {
    const state = step({ tags: [], tagsAsOf: at(20), events: { vip: { at: at(10).toISOString(), present: true } } }, { add: ["new"], at: at(25) });
    expect(Object.keys(state.events)).toEqual(["new"]);
  });

  it("any delivery order of timed events gives the in-order result (property)", () => {
    const event = fc.record({
      tag: fc.constantFrom("vip", "VIP", "wholesale", "churn-risk"),
      present: fc.boolean(),
      minute: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(event, { selector: (e) => e.minute, maxLength: 12 }), fc.func(fc.integer()), (events, shuffleKey) => {
        const toChange = (e: { tag: string; present: boolean; minute: number }): TagChange =>
          e.present ? { add: [e.tag], at: at(e.minute) } : { remove: [e.tag], at: at(e.minute) };
        const inOrder = [...events].sort((a, b) => a.minute - b.minute).reduce((s, e) => step(s, toChange(e)), empty);
        const shuffled = [...events].sort((a, b) => shuffleKey(a.minute) - shuffleKey(b.minute) || a.minute - b.minute);
        const delivered = shuffled.reduce((s, e) => step(s, toChange(e)), empty);
        const lower = (tags: readonly string[]) => tags.map((t) => t.toLowerCase()).sort();
        expect(lower(delivered.tags)).toEqual(lower(inOrder.tags));
      }),
    );
  });
});
