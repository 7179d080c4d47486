import { describe, expect, it } from "vitest";
import { CopyTextLines } from "./copy-text-lines";
import type { StoredLineProduct } from "./line-reader-protocol";

interface Line {
  orderId: number;
  key: string;
  quantity: number;
  amount: number;
  product: StoredLineProduct;
}

/** Parses `text` fed in chunks cut at every `cut`-th byte (rows and UTF-8 characters split). */
function parse(text: string, cut: number): Line[] {
  const lines: Line[] = [];
  const parser = new CopyTextLines({ line: (orderId, key, quantity, amount, product) => lines.push({ orderId, key, quantity, amount, product: product() }) });
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += cut) parser.push(bytes.subarray(i, i + cut));
  parser.end();
  return lines;
}

// As PostgreSQL's COPY TO writes them: tabs between fields, \N for null, backslash escapes.
const DATA = [
  "1\tgid://shopify/Product/1\tMug\tKitchen\t2\t12.5\n",
  "1\t\\N\tTea \\\\ \\t tab\\nline\t\\N\t1\t-0.1\n",
  "2\tgid://shopify/Product/2\tZoë's 🛍 \\\\N\tGifts\t\\N\t\\N\n",
  "3\tgid://shopify/Product/1\tMug\tKitchen\t10\t1.2345678901234567\n",
  "4\tgid://shopify/Product/3\t\tBooks\t3\t1e-05\n",
  "5\tgid://shopify/Product/4\tCard\t\\N\t1\t123456789012345\n",
].join("");

describe("CopyTextLines", () => {
  it("reads each line's order, quantity and amount, and its product's fields with COPY's escapes undone, however the data is cut", () => {
    for (const cut of [1, 2, 3, 7, 64, 1 << 16]) {
      const lines = parse(DATA, cut);
      expect(lines.map((l) => [l.orderId, l.quantity, l.amount])).toEqual([
        [1, 2, 12.5],
        [1, 1, -0.1],
        [2, 0, 0],
        [3, 10, 1.2345678901234567],
        [4, 3, 0.00001],
        [5, 1, 123456789012345],
      ]);
      expect(lines.map((l) => l.product)).toEqual([
        ["gid://shopify/Product/1", "Mug", "Kitchen"],
        [null, "Tea \\ \t tab\nline", null],
        ["gid://shopify/Product/2", "Zoë's 🛍 \\N", "Gifts"],
        ["gid://shopify/Product/1", "Mug", "Kitchen"],
        ["gid://shopify/Product/3", "", "Books"],
        ["gid://shopify/Product/4", "Card", null],
      ]);
    }
  });

  it("gives one key to lines of one product and different keys to different products", () => {
    const keys = parse(DATA, 5).map((l) => l.key);
    expect(keys[0]).toBe(keys[3]);
    expect(new Set(keys).size).toBe(5);
    // A title of the text "\N" is not a null title.
    expect(parse("1\tp\t\\\\N\tt\t1\t1\n2\tp\t\\N\tt\t1\t1\n", 3).map((l) => l.product[1])).toEqual(["\\N", null]);
  });

  it("reads amounts as Number() reads them, whatever their digits", () => {
    const amounts = ["0", "-0", "0.1", "19.99", "999999999999.99", "0.30000000000000004", "1.7976931348623157e+308", "-2.5e-7", "NaN", "Infinity", "12345678901234567890"];
    const lines = parse(amounts.map((a, i) => `${i + 1}\tp\tt\tx\t1\t${a}\n`).join(""), 4);
    expect(lines.map((l) => l.amount)).toEqual(amounts.map(Number));
    expect(Object.is(lines[1].amount, -0)).toBe(true);
  });

  it("refuses a row of the wrong shape, data that ends inside a row, and an order id that is no integer", () => {
    expect(() => parse("1\tp\tt\tx\t1\n", 64)).toThrow(/COPY row 1 has 5 fields, expected 6/);
    expect(() => parse("1\tp\tt\tx\t1\t2\t3\n", 64)).toThrow(/COPY row 1 has 7 fields/);
    expect(() => parse("1\tp\tt\tx\t1\t2\n2\tp\tt", 64)).toThrow(/COPY data ended inside row 2/);
    expect(() => parse("1.5\tp\tt\tx\t1\t2\n", 64)).toThrow(/COPY row 1: order id 1.5 is not an integer/);
  });
});
