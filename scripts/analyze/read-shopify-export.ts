import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import type { LineItemRow, PurchaseRow } from "../../app/analytics/dataset/dataset-builder";
import { FileInputError } from "./file-input-error";
import type { OrderSink, ReaderOptions } from "./order-sink";
import { parseDateTime, parseNumberField } from "./parse-date-time";
import { asFileInputError } from "./read-generic-csv";

/** Columns the reader cannot work without. */
const REQUIRED = ["Name", "Email", "Financial Status", "Created at", "Total", "Lineitem quantity", "Lineitem name"];

/**
 * Streams Shopify's order export (Admin → Orders → Export, "CSV for Excel…"): one row per line
 * item; order-level fields (Email, Financial Status, Created at, Total, Cancelled at, …) are
 * filled on the first row of each order only, later rows of the same `Name` carry just the
 * line-item columns. Customers are identified by Email; rows without an e-mail are guest orders.
 *
 * Revenue = Total − Refunded Amount (the current total). Cancelled orders (Cancelled at set, or
 * Financial Status "voided") and test orders (Payment Method "bogus", Shopify's test gateway)
 * are passed on flagged, so the core counts and excludes them.
 */
export async function readShopifyExport(path: string, sink: OrderSink, options: ReaderOptions): Promise<void> {
  const parser = createReadStream(path).pipe(parse({ columns: true, info: true, bom: true, skip_empty_lines: true, relax_column_count: false }));
  let pending: { row: PurchaseRow; line: number; lines: LineItemRow[] } | undefined;
  let pendingName = "";
  let checked = false;
  const seenCustomers = new Set<string>();

  const flush = () => {
    if (!pending) return;
    sink.order({ ...pending.row, lineItems: pending.lines }, pending.line);
    pending = undefined;
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const line = info.lines;
      if (!checked) {
        const missing = REQUIRED.filter((column) => !(column in record));
        if (missing.length > 0) throw new FileInputError(1, `not a Shopify order export: header lacks ${missing.map((m) => `"${m}"`).join(", ")}`);
        checked = true;
      }
      const name = record.Name.trim();
      if (name === "") throw new FileInputError(line, "Name (the order number) is empty");
      if (name !== pendingName) {
        flush();
        pendingName = name;
        const createdAt = record["Created at"].trim();
        if (createdAt === "") throw new FileInputError(line, `order ${name}: "Created at" is empty on its first row (order-level fields must be on an order's first row)`);
        const { at, utcOffsetMinutes } = parseDateTime(createdAt, line, "Created at", options.timeZone);
        const total = parseNumberField(record.Total, line, "Total");
        const refunded = parseNumberField(record["Refunded Amount"], line, "Refunded Amount", 0);
        if (total < 0) throw new FileInputError(line, `Total ${total} is negative`);
        const email = record.Email.trim().toLowerCase();
        const financial = record["Financial Status"].trim().toLowerCase();
        const cancelled = (record["Cancelled at"] ?? "").trim() !== "" || financial === "voided";
        const test = /bogus/i.test(record["Payment Method"] ?? "") || /bogus/i.test(record["Payment Gateway"] ?? "");
        const source = (record.Source ?? "").trim() || null;
        pending = {
          row: { customerId: email === "" ? null : email, at, utcOffsetMinutes, revenue: Math.max(0, total - refunded), source, test, cancelled },
          line,
          lines: [],
        };
        if (email !== "" && !seenCustomers.has(email) && !cancelled && !test) {
          seenCustomers.add(email);
          const pick = (field: string) => (record[`Shipping ${field}`] ?? "").trim() || (record[`Billing ${field}`] ?? "").trim() || null;
          const consent = (record["Accepts Marketing"] ?? "").trim().toLowerCase();
          sink.customer({
            customerId: email,
            country: pick("Country"),
            province: pick("Province Name") ?? pick("Province"),
            city: pick("City"),
            emailMarketingConsent: consent === "yes" ? true : consent === "no" ? false : null,
          });
        }
      }
      const title = record["Lineitem name"].trim();
      if (title !== "" && pending) {
        const quantity = parseNumberField(record["Lineitem quantity"], line, "Lineitem quantity");
        const price = parseNumberField(record["Lineitem price"], line, "Lineitem price", 0);
        const sku = (record["Lineitem sku"] ?? "").trim();
        pending.lines.push({ productId: sku || title, title, quantity, revenue: quantity * price });
      }
    }
    flush();
  } catch (error) {
    throw asFileInputError(error);
  }
}
