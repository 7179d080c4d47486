/**
 * Rows of PostgreSQL's `COPY (…) TO STDOUT` in text format, read from the bytes as they stream
 * in (pg-copy-streams): the recompute's load reads a million orders and two million lines this
 * way. Through a cursor the pg driver made a row array and a string of every field (2M lines:
 * 2.1 s of the thread's CPU and 2.1 s of the server's); from COPY's bytes a consumer reads only
 * what it needs, numbers without a string (0.4 s, and 1.5 s of the server's: bench/RESULTS.md,
 * eleventh session).
 *
 * Text format (https://www.postgresql.org/docs/current/sql-copy.html): fields split by tabs,
 * rows ended by newlines, `\N` for null, a backslash escaping a backslash, tab, newline, CR,
 * backspace, form feed or vertical tab. The parser is the current row while `onRow` runs.
 */
const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
/** 10^k for the number fast path: exact in a double up to 10^22. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

export class CopyTextRows {
  private tail: Buffer | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  /** Start of each field of the current row, and one past the row's end. */
  private readonly bounds: Int32Array;
  /** Rows read so far (the current row's number while `onRow` runs). */
  rows = 0;

  constructor(
    private readonly fields: number,
    private readonly onRow: (row: CopyTextRows) => void,
  ) {
    this.bounds = new Int32Array(fields + 1);
  }

  /** The next chunk of the COPY's data (rows may be split between chunks). */
  push(chunk: Buffer): void {
    const buffer = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end >= 0; end = buffer.indexOf(NEWLINE, start)) {
      this.row(buffer, start, end);
      start = end + 1;
    }
    this.tail = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
  }

  /** The data ended: a row left unfinished is an error. */
  end(): void {
    if (this.tail) throw new Error(`COPY data ended inside row ${this.rows + 1}`);
  }

  /** Field `k` is null. */
  isNull(k: number): boolean {
    const from = this.bounds[k];
    return this.bounds[k + 1] - 1 - from === 2 && this.buffer[from] === BACKSLASH && this.buffer[from + 1] === 78;
  }

  /** Field `k` as it came (escapes kept): equal text, equal value. */
  raw(k: number): string {
    return this.buffer.toString("latin1", this.bounds[k], this.bounds[k + 1] - 1);
  }

  /** Fields `from` to `to` (inclusive) as they came, tabs between: a key for the values together. */
  rawSpan(from: number, to: number): string {
    return this.buffer.toString("latin1", this.bounds[from], this.bounds[to + 1] - 1);
  }

  /**
   * Field `k` as a number, null when null. An integer or a decimal of at most 15 digits is read
   * from the bytes (digits / 10^k is then the correctly rounded value, as Number() gives);
   * anything else (an exponent, NaN, more digits) through Number().
   */
  number(k: number): number | null {
    if (this.isNull(k)) return null;
    const buffer = this.buffer;
    const to = this.bounds[k + 1] - 1;
    let i = this.bounds[k];
    const negative = buffer[i] === 45; // "-"
    if (negative) i++;
    let digits = 0;
    let mantissa = 0;
    let scale = -1;
    for (; i < to; i++) {
      const c = buffer[i];
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        if (scale >= 0) scale++;
      } else if (c === 46 && scale < 0) scale = 0; // "."
      else break;
    }
    if (i < to || digits === 0 || digits > 15) return Number(this.raw(k));
    const value = scale > 0 ? mantissa / POWERS_OF_TEN[scale] : mantissa;
    return negative ? -value : value;
  }

  /** Field `k` as an integer (never null: an error names the row). */
  integer(k: number): number {
    const value = this.number(k);
    if (value === null || !Number.isInteger(value)) throw new Error(`COPY row ${this.rows}: field ${k + 1} (${this.raw(k)}) is not an integer`);
    return value;
  }

  /** Field `k` of a boolean column ("t" or "f"), null when null. */
  boolean(k: number): boolean | null {
    return this.isNull(k) ? null : this.buffer[this.bounds[k]] === 116; // "t"
  }

  /** Field `k` as text (UTF-8, escapes undone), null when null. */
  text(k: number): string | null {
    if (this.isNull(k)) return null;
    const from = this.bounds[k];
    const to = this.bounds[k + 1] - 1;
    const text = this.buffer.toString("utf8", from, to);
    // Searched in the field only (Buffer.indexOf has no end: it would scan the rest of the chunk).
    if (!text.includes("\\")) return text;
    return text.replace(/\\(.)/gs, (_, escaped: string) => ESCAPES[escaped] ?? escaped);
  }

  private row(buffer: Buffer, start: number, end: number): void {
    this.rows++;
    const bounds = this.bounds;
    const fields = this.fields;
    bounds[0] = start;
    let field = 0;
    for (let i = start; i < end; i++) {
      if (buffer[i] === TAB) {
        if (++field === fields) break;
        bounds[field] = i + 1;
      }
    }
    if (field !== fields - 1) throw new Error(`COPY row ${this.rows} has ${field + 1} fields, expected ${fields}`);
    bounds[fields] = end + 1;
    this.buffer = buffer;
    this.onRow(this);
  }
}
