/**
 * The segment export's CSV (RFC 4180): a header and one line per member. Cells holding a
 * comma, quote or line break are quoted; a cell starting with =, +, - or @ gets a leading
 * apostrophe so a spreadsheet does not run a customer's name as a formula (CSV injection).
 */
export const EXPORT_COLUMNS = ["customer_id", "name", "email", "lifecycle_stage", "customer_group", "rfm_group", "orders", "total_spent", "predicted_clv", "p_alive", "hold_out"] as const;

export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null>;

function cell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null)[]): string {
  return `${values.map(cell).join(",")}\r\n`;
}

export const csvHeader = (): string => csvLine(EXPORT_COLUMNS);

export const csvRow = (row: ExportRow): string => csvLine(EXPORT_COLUMNS.map((c) => row[c]));

/** A file name from the segment's handle: letters, digits and dashes only. */
export function exportFileName(handle: string, asOf: Date): string {
  const safe = handle.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "segment";
  return `${safe}-${asOf.toISOString().slice(0, 10)}.csv`;
}
