/** The lists' page cursors: what a link carries comes back as the same position, anything else is the named parameter's error. */
import { describe, expect, it } from "vitest";
import { encodeListCursor, InvalidListCursorError, pagePosition } from "./list-cursor";

const isNumber = (value: unknown) => typeof value === "number";
const errorOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error;
  }
  return null;
};

describe("pagePosition", () => {
  it("is null for the first page", () => {
    expect(pagePosition({ after: null, before: null }, isNumber)).toBeNull();
  });

  it("gives back the row a next or previous link was made from", () => {
    const id = "gid://shopify/Customer/7104336920012";
    expect(pagePosition({ after: encodeListCursor(12.5, id), before: null }, isNumber)).toEqual({ value: 12.5, customerShopifyId: id });
    expect(pagePosition({ after: null, before: encodeListCursor(null, id) }, () => true)).toEqual({ value: null, customerShopifyId: id });
  });

  it("names the parameter of a cursor that is not one (tampered) or not of this sort", () => {
    const tampered = errorOf(() => pagePosition({ after: null, before: "bm90LWEtY3Vyc29y" }, () => true));
    expect(tampered).toBeInstanceOf(InvalidListCursorError);
    expect((tampered as InvalidListCursorError).field).toBe("before");
    // A last-order cursor (a date) handed to a list sorted by CLV (numbers).
    const otherSort = errorOf(() => pagePosition({ after: encodeListCursor("2026-11-30T10:00:00.000Z", "gid://shopify/Customer/1"), before: null }, isNumber));
    expect(otherSort).toBeInstanceOf(InvalidListCursorError);
    expect((otherSort as InvalidListCursorError).field).toBe("after");
  });
});
