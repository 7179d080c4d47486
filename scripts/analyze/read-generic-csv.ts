import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { FileInputError } from "./file-input-error";
import type { OrderSink, ReaderOptions } from "./order-sink";
import { parseDateTime, parseNumberField } from "./parse-date-time";

/**
 * Streams a generic order CSV with a header `customer_id,date,amount[,quantity]` (column order
 * free, names case-insensitive). An empty `customer_id` is a guest order.
 */
export async function readGenericCsv(path: string, sink: OrderSink, options: ReaderOptions): Promise<void> {
  const parser = createReadStream(path).pipe(
    parse({ columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), info: true, bom: true, skip_empty_lines: true, trim: true }),
  );
  let checked = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const line = info.lines;
      if (!checked) {
        for (const column of ["customer_id", "date", "amount"]) {
          if (!(column in record)) throw new FileInputError(1, `header has no "${column}" column (expected customer_id,date,amount[,quantity])`);
        }
        checked = true;
      }
      const { at, utcOffsetMinutes } = parseDateTime(record.date ?? "", line, "date", options.timeZone);
      const revenue = parseNumberField(record.amount, line, "amount");
      if (revenue < 0) throw new FileInputError(line, `amount ${revenue} is negative`);
      const quantity = parseNumberField(record.quantity, line, "quantity", 1);
      const customerId = (record.customer_id ?? "").trim();
      sink.order({ customerId: customerId === "" ? null : customerId, at, utcOffsetMinutes, revenue, items: quantity }, line);
    }
  } catch (error) {
    throw asFileInputError(error);
  }
}

/** csv-parse reports quoting errors with its own `lines` field; keep the line number. */
export function asFileInputError(error: unknown): unknown {
  if (error instanceof FileInputError) return error;
  const e = error as { code?: string; lines?: number; message?: string };
  if (e && typeof e.code === "string" && e.code.startsWith("CSV_")) return new FileInputError(e.lines ?? 0, `malformed CSV: ${e.message}`);
  return error;
}
