/**
 * Order lines from PostgreSQL's `COPY (…) TO STDOUT` in text format, parsed from the bytes: the
 * line reader's PostgreSQL path (line-reader-worker.ts). Through a cursor, the pg driver made a
 * row array and a string of every field of 2M lines (2.1 s of the thread's CPU at 1M orders, and
 * 2.1 s of the server's); from COPY's bytes only the numbers are read, and a product's fields
 * are decoded once, when its text is first seen (0.4 s, and 1.5 s of the server's: bench/RESULTS.md,
 * eleventh session).
 *
 * Rows are `orderId, productShopifyId, title, productType, quantity, amount` (COPY's text format:
 * fields split by tabs, rows ended by newlines, `\N` for null, a backslash escaping the rest).
 */
import type { StoredLineProduct } from "./line-reader-protocol";

/** Receives each line. */
export interface CopyLineSink {
  /**
   * One line: its order's id, its product's three fields as they came (equal text, equal product:
   * a key for the product), its quantity and amount (0 when null, as the SQLite path reads them),
   * and `product()`, which decodes the product's fields (for a key not seen before; valid only
   * during this call).
   */
  line(orderId: number, productKey: string, quantity: number, amount: number, product: () => StoredLineProduct): void;
}

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;
const FIELDS = 6;
/** 10^k for the float fast path: exact in a double up to 10^22. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

export class CopyTextLines {
  private tail: Buffer | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  /** Start of each field of the current row, and one past the row's end. */
  private readonly bounds = new Int32Array(FIELDS + 1);
  private rows = 0;
  private readonly product = (): StoredLineProduct => [this.text(1), this.text(2), this.text(3)];

  constructor(private readonly sink: CopyLineSink) {}

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

  private row(buffer: Buffer, start: number, end: number): void {
    this.rows++;
    const bounds = this.bounds;
    bounds[0] = start;
    let field = 0;
    for (let i = start; i < end; i++) {
      if (buffer[i] === TAB) {
        if (++field === FIELDS) break;
        bounds[field] = i + 1;
      }
    }
    if (field !== FIELDS - 1) throw new Error(`COPY row ${this.rows} has ${field + 1} fields, expected ${FIELDS}`);
    bounds[FIELDS] = end + 1;
    this.buffer = buffer;
    const orderId = this.number(0);
    if (!Number.isInteger(orderId)) throw new Error(`COPY row ${this.rows}: order id ${this.raw(0)} is not an integer`);
    const productKey = buffer.toString("latin1", bounds[1], bounds[4] - 1);
    this.sink.line(orderId, productKey, this.number(4), this.number(5), this.product);
  }

  /** Field `k` as it came. */
  private raw(k: number): string {
    return this.buffer.toString("latin1", this.bounds[k], this.bounds[k + 1] - 1);
  }

  private isNull(k: number): boolean {
    const from = this.bounds[k];
    return this.bounds[k + 1] - 1 - from === 2 && this.buffer[from] === BACKSLASH && this.buffer[from + 1] === 78;
  }

  /**
   * Field `k` as a number, 0 when null. An integer or a decimal of at most 15 digits is read
   * from the bytes (digits / 10^k is then the correctly rounded value, as Number() gives);
   * anything else (an exponent, NaN, more digits) through Number().
   */
  private number(k: number): number {
    if (this.isNull(k)) return 0;
    const buffer = this.buffer;
    const from = this.bounds[k];
    const to = this.bounds[k + 1] - 1;
    let i = from;
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

  /** Field `k` as text (UTF-8, escapes undone), null for `\N`. */
  private text(k: number): string | null {
    if (this.isNull(k)) return null;
    const from = this.bounds[k];
    const to = this.bounds[k + 1] - 1;
    const text = this.buffer.toString("utf8", from, to);
    const backslash = this.buffer.indexOf(BACKSLASH, from);
    if (backslash < 0 || backslash >= to) return text;
    // COPY TO escapes a backslash, tab, newline, CR, backspace, form feed and vertical tab.
    return text.replace(/\\(.)/gs, (_, escaped: string) => ESCAPES[escaped] ?? escaped);
  }
}
