import { openSync, readSync, closeSync } from "node:fs";
import { createDatasetBuilder, InvalidDatasetRowError, type StoreDataset } from "../../app/analytics/dataset/dataset-builder";
import { FileInputError } from "./file-input-error";
import type { OrderSink, ReaderOptions } from "./order-sink";
import { readCdnow } from "./read-cdnow";
import { readGenericCsv } from "./read-generic-csv";
import { readShopifyExport } from "./read-shopify-export";
import { fixedOffsetZone, type ShopTimeZone } from "./shop-time-zone";

export type OrdersFileFormat = "shopify" | "generic" | "cdnow";

const READERS: Record<OrdersFileFormat, (path: string, sink: OrderSink, options: ReaderOptions) => Promise<void>> = {
  shopify: readShopifyExport,
  generic: readGenericCsv,
  cdnow: readCdnow,
};

/**
 * Guesses the format from the first line: a header with "Lineitem" / "Financial Status" is a
 * Shopify export, a comma-separated header naming customer_id is generic CSV, and
 * whitespace-separated numeric columns (or the master file's header) are CDNOW.
 * @throws FileInputError (line 1) when none fits.
 */
export function detectOrdersFileFormat(path: string): OrdersFileFormat {
  const fd = openSync(path, "r");
  const buffer = Buffer.alloc(65_536);
  const bytes = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  const first = buffer.subarray(0, bytes).toString("utf8").replace(/^\uFEFF/, "").split(/\r?\n/)[0] ?? "";
  if (first.trim() === "") throw new FileInputError(1, "the file is empty (or its first line is blank)");
  if (/Lineitem (quantity|name)/.test(first) && /Financial Status/.test(first)) return "shopify";
  if (/(^|,)\s*"?customer_id"?\s*(,|$)/i.test(first)) return "generic";
  if (/^\s*\d+(\s+\d+){2,3}\s+[\d.]+\s*$/.test(first) || /^\s*customer_id\s+date\s+/i.test(first)) return "cdnow";
  throw new FileInputError(1, "unknown format: expected a Shopify order export, a customer_id,date,amount CSV or a CDNOW text file (use --format)");
}

export interface LoadedOrders {
  dataset: StoreDataset;
  format: OrdersFileFormat;
  /** Orders read from the file (before test/cancelled exclusion). */
  rows: number;
}

/**
 * Streams `path` through its reader into the columnar dataset builder, so only the columns are
 * kept in memory. Any invalid row becomes a {@link FileInputError} with its line number.
 */
export async function loadOrdersFile(path: string, options: { format?: OrdersFileFormat; timeZone?: ShopTimeZone } = {}): Promise<LoadedOrders> {
  const format = options.format ?? detectOrdersFileFormat(path);
  const timeZone = options.timeZone ?? fixedOffsetZone();
  const builder = createDatasetBuilder();
  let rows = 0;
  const sink: OrderSink = {
    order(row, line) {
      rows++;
      try {
        builder.add(row);
      } catch (error) {
        if (error instanceof InvalidDatasetRowError) throw new FileInputError(line, `${error.field}: ${error.message.replace(/^row \d+: [^:]+: /, "")}`);
        throw error;
      }
    },
    customer(row) {
      builder.addCustomer(row);
    },
  };
  await READERS[format](path, sink, { timeZone });
  return { dataset: builder.build(), format, rows };
}
