/**
 * The binary COPY encoder (app/db/postgres-binary-copy.ts) against a real PostgreSQL server: what
 * it writes is read back by the server as the values given, in every type the profile write uses,
 * at the edges of each (negative and long decimals, days before 2000, text with COPY's special
 * characters and non-ASCII, nulls), across many blocks; a value its column cannot hold is refused
 * before anything is sent.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinaryCopyRows, type BinaryCopyType } from "~/db/postgres-binary-copy";
import { createEmptyDatabase, TEST_DIALECTS } from "./test-database";

const TYPES: BinaryCopyType[] = ["int", "float8", "text", "numeric", "numeric", "timestamp(3)"];

describe.runIf(TEST_DIALECTS.includes("postgresql"))("binary COPY rows on postgresql", () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createEmptyDatabase("postgresql");
    client = new pg.Client({ connectionString: database.config.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  /** COPYs `rows` into a fresh table and reads every value back as the server's text. */
  async function roundTrip(rows: unknown[][]): Promise<(string | null)[][]> {
    await client.query(`DROP TABLE IF EXISTS t`);
    await client.query(`CREATE TABLE t (n serial, i int, f float8, s text, money numeric(65,30), d numeric, at timestamp(3))`);
    const copy = new BinaryCopyRows(TYPES);
    for (const row of rows) copy.row(row);
    await pipeline(Readable.from(copy.end()), client.query(copyFrom(`COPY t (i, f, s, money, d, at) FROM STDIN (FORMAT binary)`)));
    const result = await client.query({ text: `SELECT i::text, f::text, s, money::numeric(20,2)::text, d::text, at::text FROM t ORDER BY n`, rowMode: "array" });
    return result.rows as (string | null)[][];
  }

  it("writes integers, floats, text, decimals and timestamps that the server reads back unchanged", async () => {
    const rows = [
      [0, 0.1, "", "0.00", "0.00", "2026-12-04"],
      [-1, -1e-300, "tab\there\nnew line\rand \\ backslash", "-1234.56", "-1234.56", "1999-12-31"],
      [2147483647, 1.7976931348623157e308, "Zoë's 🛍 order", "99999999.99", "12345678901234567890.1234567", "1970-01-01"],
      [-2147483648, 123456.789, "gid://shopify/Customer/1", "10000.00", "0.0001", "2026-06-01T12:34:56.789Z"],
      [42, -0, "x", "-0.00", "100000000", "2000-01-01"],
      [7, 2.5, "y", 1234.5, "-0.5", "1900-02-28"],
    ];
    expect(await roundTrip(rows)).toEqual([
      ["0", "0.1", "", "0.00", "0.00", "2026-12-04 00:00:00"],
      ["-1", "-1e-300", "tab\there\nnew line\rand \\ backslash", "-1234.56", "-1234.56", "1999-12-31 00:00:00"],
      ["2147483647", "1.7976931348623157e+308", "Zoë's 🛍 order", "99999999.99", "12345678901234567890.1234567", "1970-01-01 00:00:00"],
      ["-2147483648", "123456.789", "gid://shopify/Customer/1", "10000.00", "0.0001", "2026-06-01 12:34:56.789"],
      ["42", "-0", "x", "0.00", "100000000", "2000-01-01 00:00:00"],
      ["7", "2.5", "y", "1234.50", "-0.5", "1900-02-28 00:00:00"],
    ]);
  });

  it("writes nulls in every type", async () => {
    expect(await roundTrip([[null, null, null, null, null, null], [1, undefined, "a", "1.00", "1", "2026-01-01"]])).toEqual([
      [null, null, null, null, null, null],
      ["1", null, "a", "1.00", "1", "2026-01-01 00:00:00"],
    ]);
  });

  it("spreads a large COPY over many blocks without losing or splitting a row", async () => {
    const text = "é".repeat(400);
    const rows = Array.from({ length: 3000 }, (_, i) => [i, i / 7, `${i}:${text}`, `${i}.25`, `-${i}.5`, `2026-01-${String((i % 28) + 1).padStart(2, "0")}`]);
    const copy = new BinaryCopyRows(TYPES);
    for (const row of rows) copy.row(row);
    expect(copy.end().length).toBeGreaterThan(3);
    const back = await roundTrip(rows);
    expect(back).toHaveLength(3000);
    for (const i of [0, 1, 1499, 2999]) {
      expect(back[i]).toEqual([String(i), String(i / 7), `${i}:${text}`, `${i}.25`, `-${i}.5`, `2026-01-${String((i % 28) + 1).padStart(2, "0")} 00:00:00`]);
    }
  });

  it("refuses a value its column cannot hold, naming the column", () => {
    const copy = new BinaryCopyRows(TYPES);
    expect(() => copy.row([1.5, 0, "", "0", "0", "2026-01-01"])).toThrow(/column 1: 1.5 is not a 32-bit integer/);
    expect(() => copy.row([2 ** 31, 0, "", "0", "0", "2026-01-01"])).toThrow(/column 1: 2147483648 is not a 32-bit integer/);
    expect(() => copy.row([1, "0.5", "", "0", "0", "2026-01-01"])).toThrow(/column 2: float8 needs a number/);
    expect(() => copy.row([1, 0, "", "1e5", "0", "2026-01-01"])).toThrow(/column 4: 1e5 is not a plain decimal number/);
    expect(() => copy.row([1, 0, "", "0", "0", "not a day"])).toThrow(/column 6: not a day is not a date/);
    expect(() => copy.row([1, 0, ""])).toThrow(/6 columns got 3 values/);
  });
});
