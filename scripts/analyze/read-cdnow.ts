import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { FileInputError } from "./file-input-error";
import type { OrderSink, ReaderOptions } from "./order-sink";
import { parseDateTime, parseNumberField } from "./parse-date-time";

/**
 * Streams a CDNOW text file (whitespace-separated) line by line:
 * - master layout, 4 columns: customer id, date YYYYMMDD, CDs, dollars (header line optional);
 * - sample layout, 5 columns: master id, sample id, date, CDs, dollars. The customer is the
 *   sample id, which is the `ID` of `cdnow_sample_summary.csv`.
 * Each row is one order; orders of a customer on the same day are merged later into one
 * purchase event by the core.
 */
export async function readCdnow(path: string, sink: OrderSink, options: ReaderOptions): Promise<void> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNumber = 0;
  let layout: 4 | 5 | undefined;
  for await (const text of lines) {
    lineNumber++;
    const fields = text.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === "") continue;
    if (lineNumber === 1 && !/^\d/.test(fields[0])) continue; // header line of the master file
    if (fields.length !== 4 && fields.length !== 5) {
      throw new FileInputError(lineNumber, `expected 4 (id date cds dollars) or 5 (id sample-id date cds dollars) columns, got ${fields.length}`);
    }
    if (layout === undefined) layout = fields.length;
    else if (fields.length !== layout) throw new FileInputError(lineNumber, `expected ${layout} columns like the lines before, got ${fields.length}`);
    const [customerId, date, cds, dollars] = layout === 4 ? fields : fields.slice(1);
    if (!/^\d+$/.test(customerId)) throw new FileInputError(lineNumber, `customer id "${customerId}" is not a number`);
    if (!/^\d{8}$/.test(date)) throw new FileInputError(lineNumber, `date "${date}" is not YYYYMMDD`);
    const { at, utcOffsetMinutes } = parseDateTime(date, lineNumber, "date", options.timeZone);
    const items = parseNumberField(cds, lineNumber, "CDs");
    const revenue = parseNumberField(dollars, lineNumber, "dollars");
    if (revenue < 0) throw new FileInputError(lineNumber, `dollars ${revenue} is negative`);
    sink.order({ customerId: String(Number(customerId)), at, utcOffsetMinutes, revenue, items }, lineNumber);
  }
}
