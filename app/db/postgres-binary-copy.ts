/**
 * Rows in PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html,
 * "Binary Format"), for `COPY … FROM STDIN (FORMAT binary)` through pg-copy-streams: each value
 * goes into a reused buffer in the column type's own wire format (an int4 as 4 bytes, a float8 as
 * 8, a timestamp as microseconds since 2000), so neither this process nor the server turns
 * numbers into text and back. Writing a generation of profiles as text spent most of its time
 * formatting floats and collecting the strings (bench/RESULTS.md, eleventh session;
 * docs/decisions/048-binary-copy-of-profiles.md).
 *
 * Only the types the bulk writes use are here. A value that does not fit its column's type is an
 * error, never written as something else (text COPY would have refused it too).
 */

/** The column types this encoder writes, named as in a cast (`$1::int`). */
export type BinaryCopyType = "int" | "float8" | "text" | "numeric" | "timestamp(3)";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** 2000-01-01T00:00:00Z in milliseconds: PostgreSQL's timestamp epoch. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_TO_32 = 2 ** 32;
/** A block is handed on once it holds this much (the COPY stream's writes). */
const BLOCK_BYTES = 1 << 18;
const NUMERIC_POSITIVE = 0x0000;
const NUMERIC_NEGATIVE = 0x4000;

/**
 * One COPY's data: `row(values)` per row, then `end()` gives the blocks to stream. Values are
 * numbers (int, float8), strings (text; numeric as a plain decimal "-123.45"; timestamp(3) as a
 * day "YYYY-MM-DD" or an ISO instant) or null.
 */
export class BinaryCopyRows {
  private readonly blocks: Buffer[] = [];
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private at = 0;
  /** Milliseconds of each day or instant string seen (a generation has a few thousand days). */
  private readonly instants = new Map<string, number>();

  constructor(private readonly types: readonly BinaryCopyType[]) {
    this.reserve(SIGNATURE.length + 8);
    this.at += SIGNATURE.copy(this.block, this.at);
    this.at = this.block.writeInt32BE(0, this.at); // flags: no OIDs
    this.at = this.block.writeInt32BE(0, this.at); // no header extension
  }

  row(values: readonly unknown[]): void {
    const types = this.types;
    if (values.length !== types.length) throw new Error(`a COPY row of ${types.length} columns got ${values.length} values`);
    this.reserve(2);
    this.at = this.block.writeInt16BE(types.length, this.at);
    for (let i = 0; i < types.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) {
        this.reserve(4);
        this.at = this.block.writeInt32BE(-1, this.at);
        continue;
      }
      switch (types[i]) {
        case "int":
          this.int4(value, i);
          break;
        case "float8":
          if (typeof value !== "number") throw new TypeError(`column ${i + 1}: float8 needs a number, got ${typeof value}`);
          this.reserve(12);
          this.at = this.block.writeInt32BE(8, this.at);
          this.at = this.block.writeDoubleBE(value, this.at);
          break;
        case "text":
          this.text(String(value));
          break;
        case "numeric":
          this.numeric(typeof value === "number" ? String(value) : (value as string), i);
          break;
        case "timestamp(3)":
          this.timestamp(value as string, i);
          break;
      }
    }
  }

  /** The COPY's data, trailer included; the writer is spent. */
  end(): Buffer[] {
    this.reserve(2);
    this.at = this.block.writeInt16BE(-1, this.at);
    this.blocks.push(this.block.subarray(0, this.at));
    return this.blocks;
  }

  private int4(value: unknown, column: number): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new RangeError(`column ${column + 1}: ${String(value)} is not a 32-bit integer`);
    }
    this.reserve(8);
    this.at = this.block.writeInt32BE(4, this.at);
    this.at = this.block.writeInt32BE(value, this.at);
  }

  private text(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.reserve(4 + value.length * 3);
    const bytes = this.block.write(value, this.at + 4, "utf8");
    this.block.writeInt32BE(bytes, this.at);
    this.at += 4 + bytes;
  }

  /**
   * numeric's wire format: base-10000 digits after a count, the weight of the first (in powers
   * of 10000), a sign and the display scale (digits after the point).
   */
  private numeric(decimal: string, column: number): void {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
    if (!match) throw new RangeError(`column ${column + 1}: ${decimal} is not a plain decimal number`);
    const [, minus, whole, fraction = ""] = match;
    // Whole digits padded on the left and fraction digits on the right to groups of four.
    const wholeDigits = whole.replace(/^0+/, "");
    const left = wholeDigits.padStart(Math.ceil(wholeDigits.length / 4) * 4, "0");
    const right = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, "0");
    const digits: number[] = [];
    for (let i = 0; i < left.length; i += 4) digits.push(Number(left.slice(i, i + 4)));
    for (let i = 0; i < right.length; i += 4) digits.push(Number(right.slice(i, i + 4)));
    let weight = left.length / 4 - 1;
    // Leading and trailing zero groups are not sent (the server's own form).
    let first = 0;
    while (first < digits.length && digits[first] === 0) {
      first++;
      weight--;
    }
    let last = digits.length;
    while (last > first && digits[last - 1] === 0) last--;
    const count = last - first;
    if (count === 0) weight = 0;
    this.reserve(4 + 8 + count * 2);
    this.at = this.block.writeInt32BE(8 + count * 2, this.at);
    this.at = this.block.writeInt16BE(count, this.at);
    this.at = this.block.writeInt16BE(weight, this.at);
    this.at = this.block.writeUInt16BE(minus && count > 0 ? NUMERIC_NEGATIVE : NUMERIC_POSITIVE, this.at);
    this.at = this.block.writeInt16BE(fraction.length, this.at);
    for (let i = first; i < last; i++) this.at = this.block.writeInt16BE(digits[i], this.at);
  }

  /** A day ("YYYY-MM-DD", its midnight) or an ISO instant as microseconds since 2000, an int8. */
  private timestamp(value: string, column: number): void {
    let ms = this.instants.get(value);
    if (ms === undefined) {
      ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
      if (!Number.isFinite(ms)) throw new RangeError(`column ${column + 1}: ${value} is not a date`);
      this.instants.set(value, ms);
    }
    const micros = (ms - POSTGRES_EPOCH_MS) * 1000;
    const high = Math.floor(micros / TWO_TO_32);
    this.reserve(12);
    this.at = this.block.writeInt32BE(8, this.at);
    this.at = this.block.writeInt32BE(high, this.at);
    this.at = this.block.writeUInt32BE(micros - high * TWO_TO_32, this.at);
  }

  /** Room for `bytes` more in the block in hand; a full block is handed on. */
  private reserve(bytes: number): void {
    if (this.at + bytes <= this.block.length) return;
    this.blocks.push(this.block.subarray(0, this.at));
    this.block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, bytes));
    this.at = 0;
  }
}
