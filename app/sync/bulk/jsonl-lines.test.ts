/**
 * jsonlTextLines splits a bulk result into lines as node:readline does (the splitter it
 * replaced, used here as the reference), whatever the chunk boundaries: line ends "\n", "\r\n"
 * and a lone "\r", a "\r\n" split over two chunks, characters split over two chunks, a last line
 * without an end, empty lines, bytes that are not UTF-8.
 */
import { Readable } from "node:stream";
import readline from "node:readline";
import { describe, expect, it } from "vitest";
import { createSeededRng } from "~/analytics/math/seeded-rng";
import { jsonlTextLines } from "./jsonl-lines";

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** What node:readline makes of the same bytes. */
function readlineLines(bytes: Buffer): Promise<string[]> {
  return collect(readline.createInterface({ input: Readable.from([bytes]), crlfDelay: Infinity }));
}

/** `bytes` cut at `cuts` random places. */
function chunked(bytes: Buffer, cuts: number, rng: () => number): Uint8Array[] {
  const at = [...new Set(Array.from({ length: cuts }, () => Math.floor(rng() * (bytes.length + 1))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const end of [...at, bytes.length]) {
    chunks.push(new Uint8Array(bytes.subarray(start, end)));
    start = end;
  }
  return chunks;
}

const DOCUMENTS: Record<string, Buffer> = {
  "bulk JSONL": Buffer.from('{"id":"gid://shopify/Order/1","name":"#1001"}\n{"id":"gid://shopify/LineItem/2","__parentId":"gid://shopify/Order/1"}\n'),
  "CRLF line ends and no end on the last line": Buffer.from('{"a":1}\r\n{"b":"Ærø • café 🛒"}\r\n\r\n{"c":3}'),
  "lone CRs, empty lines and a CR last": Buffer.from("a\rb\n\n\r\nc\r\r\nd\r"),
  "multi-byte characters only": Buffer.from("ééé\n🛒🛒🛒\n中文字\n"),
  empty: Buffer.alloc(0),
  "one line end": Buffer.from("\n"),
};

describe("jsonlTextLines", () => {
  for (const [name, bytes] of Object.entries(DOCUMENTS)) {
    it(`splits ${name} as readline does, whatever the chunks`, async () => {
      const expected = await readlineLines(bytes);
      expect(await collect(jsonlTextLines(from([bytes])))).toEqual(expected);
      // One byte at a time: every "\r\n" and every character is split somewhere.
      expect(await collect(jsonlTextLines(from([...bytes].map((b) => new Uint8Array([b])))))).toEqual(expected);
      const rng = createSeededRng(bytes.length + 1);
      for (let round = 0; round < 50; round++) expect(await collect(jsonlTextLines(from(chunked(bytes, 1 + Math.floor(rng() * 8), rng))))).toEqual(expected);
    });
  }

  it("splits random documents of JSON, line ends and multi-byte text as readline does", async () => {
    const rng = createSeededRng(42);
    const pieces = ['{"k":"v"}', "\n", "\r\n", "\r", "é", "🛒", "\\r", '"', " ", "x"];
    for (let round = 0; round < 100; round++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rng() * 60) }, () => pieces[Math.floor(rng() * pieces.length)]).join(""));
      const expected = await readlineLines(bytes);
      expect(await collect(jsonlTextLines(from(chunked(bytes, Math.floor(rng() * 10), rng))))).toEqual(expected);
    }
  });

  it("turns bytes that are not UTF-8 into U+FFFD and keeps the lines around them", async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"b":2}\n')]);
    const lines = await collect(jsonlTextLines(from(chunked(bytes, 3, createSeededRng(5)))));
    expect(lines).toEqual(['{"a":"\uFFFD\uFFFD"}', '{"b":2}']);
  });

  it("takes text chunks as well as bytes", async () => {
    expect(await collect(jsonlTextLines(from(['{"a":1}\r', '\n{"b"', ":2}"])))).toEqual(['{"a":1}', '{"b":2}']);
  });
});
