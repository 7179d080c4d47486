/**
 * The segment builder's form: name, handle, description, control group, automatic push and the
 * rule (JSON). Errors come back per field as translation keys (rule errors with their path), so
 * a bad form is answered with field errors and nothing is written.
 */
import type { TranslationKey } from "~/i18n/translate";
import { validateRule, type RuleError, type RuleGroup } from "./rule-tree";

export interface SegmentFormValues {
  name: string;
  handle: string;
  description: string | null;
  controlGroupPercent: number;
  pushEnabled: boolean;
  rule: RuleGroup;
}

export type SegmentFormField = "name" | "handle" | "description" | "controlGroupPercent" | "rules";

export interface SegmentFormErrors {
  fields: Partial<Record<SegmentFormField, TranslationKey>>;
  rule: RuleError[];
}

export type SegmentFormResult = { ok: true; values: SegmentFormValues } | { ok: false; errors: SegmentFormErrors };

/** Shopify's limit on a tag's length. */
export const MAX_TAG_LENGTH = 255;
export const MAX_NAME_LENGTH = 100;
export const MAX_CONTROL_PERCENT = 50;
const HANDLE = /^[a-z0-9][a-z0-9-]*$/;

/** A handle from a name: lower-case ASCII letters and digits joined by dashes ("VIP's à Paris" → "vip-s-a-paris"). */
export function handleFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    // Letters NFKD does not split into a base letter and a mark (Danish ø, æ; German ß).
    .replace(/[øæßœ]/g, (c) => ({ ø: "o", æ: "ae", ß: "ss", œ: "oe" })[c] ?? c)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "segment";
}

/** Why `handle` cannot be a tag suffix after `tagPrefix`, or null when it can. */
export function handleError(handle: string, tagPrefix: string): TranslationKey | null {
  if (!HANDLE.test(handle)) return "segments.error.handleFormat";
  if (tagPrefix.length + handle.length > MAX_TAG_LENGTH) return "segments.error.handleTooLong";
  return null;
}

/** The Shopify tag of a segment: the shop's prefix and the handle, lower-case. */
export function segmentTag(tagPrefix: string, handle: string): string {
  return `${tagPrefix}${handle}`.toLowerCase();
}

/** Reads the builder's form data. `tagPrefix` is the shop's (ShopSettings.tagPrefix). */
export function parseSegmentForm(form: Record<string, unknown>, tagPrefix: string): SegmentFormResult {
  const text = (key: string) => (typeof form[key] === "string" ? (form[key] as string).trim() : "");
  const fields: SegmentFormErrors["fields"] = {};
  const name = text("name");
  if (name === "") fields.name = "segments.error.nameRequired";
  else if (name.length > MAX_NAME_LENGTH) fields.name = "segments.error.nameTooLong";
  const handle = text("handle").toLowerCase() || handleFromName(name);
  const handleProblem = handleError(handle, tagPrefix);
  if (handleProblem) fields.handle = handleProblem;
  const description = text("description");
  if (description.length > 500) fields.description = "segments.error.nameTooLong";
  const percentText = text("controlGroupPercent");
  const controlGroupPercent = percentText === "" ? 0 : Number(percentText.replace(",", "."));
  if (!Number.isFinite(controlGroupPercent) || controlGroupPercent < 0 || controlGroupPercent > MAX_CONTROL_PERCENT) fields.controlGroupPercent = "segments.error.controlGroup";
  const pushEnabled = form.pushEnabled === "true" || form.pushEnabled === "on" || form.pushEnabled === true;
  let ruleErrors: RuleError[] = [];
  let rule: RuleGroup | null = null;
  let json: unknown = null;
  try {
    json = JSON.parse(text("rules") || "null");
  } catch {
    json = null;
  }
  const checked = validateRule(json);
  if (checked.ok) rule = checked.rule;
  else {
    ruleErrors = checked.errors;
    fields.rules = "segments.error.rules";
  }
  if (Object.keys(fields).length > 0 || !rule) return { ok: false, errors: { fields, rule: ruleErrors } };
  return { ok: true, values: { name, handle, description: description || null, controlGroupPercent, pushEnabled, rule } };
}
