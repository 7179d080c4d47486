import { describe, expect, it } from "vitest";
import { CopyTextRows } from "./copy-text-rows";

/** Parses `text` fed in chunks cut at every `cut`-th byte (rows and UTF-8 characters split), each row read by `read`. */
function parse<T>(text: string, fields: number, cut: number, read: (row: CopyTextRows) => T): T[] {
  const rows: T[] = [];
  const parser = new CopyTextRows(fields, (row) => rows.push(read(row)));
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += cut) parser.push(bytes.subarray(i, i + cut));
  parser.end();
  return rows;
}

// As PostgreSQL's COPY TO writes them: tabs between fields, \N for null, backslash escapes.
const LINES = [
  "1\tgid://shopify/Product/1\tMug\tKitchen\t2\t12.5\n",
  "1\t\\N\tTea \\\\ \\t tab\\nline\t\\N\t1\t-0.1\n",
  "2\tgid://shopify/Product/2\tZoë's 🛍 \\\\N\tGifts\t\\N\t\\N\n",
  "3\tgid://shopify/Product/1\tMug\tKitchen\t10\t1.2345678901234567\n",
  "4\tgid://shopify/Product/3\t\tBooks\t3\t1e-05\n",
  "5\tgid://shopify/Product/4\tCard\t\\N\t1\t123456789012345\n",
].join("");

describe("CopyTextRows", () => {
  it("reads numbers, nulls and text with COPY's escapes undone, however the data is cut", () => {
    for (const cut of [1, 2, 3, 7, 64, 1 << 16]) {
      const rows = parse(LINES, 6, cut, (r) => [r.integer(0), r.text(1), r.text(2), r.text(3), r.number(4), r.number(5)]);
      expect(rows).toEqual([
        [1, "gid://shopify/Product/1", "Mug", "Kitchen", 2, 12.5],
        [1, null, "Tea \\ \t tab\nline", null, 1, -0.1],
        [2, "gid://shopify/Product/2", "Zoë's 🛍 \\N", "Gifts", null, null],
        [3, "gid://shopify/Product/1", "Mug", "Kitchen", 10, 1.2345678901234567],
        [4, "gid://shopify/Product/3", "", "Books", 3, 0.00001],
        [5, "gid://shopify/Product/4", "Card", null, 1, 123456789012345],
      ]);
    }
  });

  it("gives equal raw spans to equal values and different ones to different values", () => {
    const keys = parse(LINES, 6, 5, (r) => r.rawSpan(1, 3));
    expect(keys[0]).toBe(keys[3]);
    expect(new Set(keys).size).toBe(5);
    // A title of the text "\N" is not a null title.
    expect(parse("1\tp\t\\\\N\n2\tp\t\\N\n", 3, 3, (r) => [r.raw(2), r.isNull(2), r.text(2)])).toEqual([
      ["\\\\N", false, "\\N"],
      ["\\N", true, null],
    ]);
  });

  it("reads numbers as Number() reads them, whatever their digits", () => {
    const values = ["0", "-0", "0.1", "19.99", "999999999999.99", "0.30000000000000004", "1.7976931348623157e+308", "-2.5e-7", "NaN", "Infinity", "12345678901234567890", "1656842385344"];
    const read = parse(values.map((v) => `${v}\n`).join(""), 1, 4, (r) => r.number(0));
    expect(read).toEqual(values.map(Number));
    expect(Object.is(read[1], -0)).toBe(true);
  });

  it("reads booleans as COPY writes them", () => {
    expect(parse("t\tf\t\\N\n", 3, 2, (r) => [r.boolean(0), r.boolean(1), r.boolean(2)])).toEqual([[true, false, null]]);
  });

  it("refuses a row of the wrong shape, data that ends inside a row, and an integer field that is not one", () => {
    expect(() => parse("1\tp\tt\tx\t1\n", 6, 64, (r) => r.raw(0))).toThrow(/COPY row 1 has 5 fields, expected 6/);
    expect(() => parse("1\tp\tt\tx\t1\t2\t3\n", 6, 64, (r) => r.raw(0))).toThrow(/COPY row 1 has 7 fields/);
    expect(() => parse("1\tp\n2\tp\n3", 2, 64, (r) => r.raw(0))).toThrow(/COPY data ended inside row 3/);
    expect(() => parse("1\tp\n1.5\tp\n", 2, 64, (r) => r.integer(0))).toThrow(/COPY row 2: field 1 \(1.5\) is not an integer/);
    expect(() => parse("\\N\tp\n", 2, 64, (r) => r.integer(0))).toThrow(/COPY row 1: field 1 \(\\N\) is not an integer/);
  });
});
