/** Field readers shared by the GraphQL and webhook mappers: each failure names its field. */
import { RecordFormatError } from "./record-rows";

const GID = /^gid:\/\/shopify\/[A-Za-z]+\/\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

export function requireGid(value: unknown, field: string, type?: string): string {
  if (typeof value !== "string" || !GID.test(value)) {
    throw new RecordFormatError(field, `expected a Shopify gid, got ${JSON.stringify(value)}`);
  }
  if (type && !value.startsWith(`gid://shopify/${type}/`)) {
    throw new RecordFormatError(field, `expected a ${type} gid, got ${value}`);
  }
  return value;
}

export function optionalGid(value: unknown, field: string, type?: string): string | null {
  return value == null ? null : requireGid(value, field, type);
}

export function requireDate(value: unknown, field: string): Date {
  if (typeof value !== "string") throw new RecordFormatError(field, `expected an ISO date-time, got ${JSON.stringify(value)}`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RecordFormatError(field, `not a date-time: ${value}`);
  return date;
}

export function optionalDate(value: unknown, field: string): Date | null {
  return value == null || value === "" ? null : requireDate(value, field);
}

/** Money as Shopify sends it ("12.30", sometimes a JSON number in REST payloads), kept exact as text. */
export function requireDecimal(value: unknown, field: string): string {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !DECIMAL.test(text.trim())) {
    throw new RecordFormatError(field, `expected a decimal amount, got ${JSON.stringify(value)}`);
  }
  return text.trim();
}

export function optionalDecimal(value: unknown, field: string): string | null {
  return value == null ? null : requireDecimal(value, field);
}

export function optionalBoolean(value: unknown, field: string): boolean | null {
  if (value == null) return null;
  if (typeof value !== "boolean") throw new RecordFormatError(field, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalString(value: unknown, field: string): string | null {
  if (value == null) return null;
  if (typeof value !== "string") throw new RecordFormatError(field, `expected text, got ${JSON.stringify(value)}`);
  return value;
}

export function requireString(value: unknown, field: string): string {
  if (typeof value !== "string") throw new RecordFormatError(field, `expected text, got ${JSON.stringify(value)}`);
  return value;
}

export function requireInt(value: unknown, field: string): number {
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw new RecordFormatError(field, `expected an integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Tags arrive as an array (GraphQL) or a comma-separated string (REST payloads). */
export function readTags(value: unknown, field: string): string[] | null {
  if (value == null) return null;
  if (Array.isArray(value)) return value.map((t, i) => requireString(t, `${field}[${i}]`).trim()).filter(Boolean);
  if (typeof value === "string") return value.split(",").map((t) => t.trim()).filter(Boolean);
  throw new RecordFormatError(field, `expected tags, got ${JSON.stringify(value)}`);
}
