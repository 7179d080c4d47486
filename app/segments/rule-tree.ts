/**
 * A segment's rule: a tree of all/any groups whose leaves are conditions (field, operator,
 * value), stored as JSON in `Segment.rules` with its shape's version in `Segment.rulesVersion`.
 *
 * `validateRule` checks the shape with zod and then each condition against the field catalogue;
 * every problem comes back as a translation key with the path of the offending part
 * (`children.2.value`), so the builder can put the message next to the control.
 */
import { z } from "zod";
import type { TranslationKey } from "~/i18n/translate";
import { FIELDS, isFieldKey, operatorsOf, type FieldKey, type Operator } from "./field-catalogue";

export const RULES_VERSION = 1;

export interface RuleCondition {
  type: "condition";
  field: FieldKey;
  operator: Operator;
  /** number for numbers; string[] for enums, texts and purchases; a tag; a day `YYYY-MM-DD` or a number of days for dates. */
  value: number | string | string[];
  /** Purchases only: count only orders of the last N days (null: ever). */
  withinDays?: number | null;
}
export interface RuleGroup {
  type: "group";
  match: "all" | "any";
  children: RuleNode[];
}
export type RuleNode = RuleGroup | RuleCondition;

export interface RuleError {
  /** Dotted path from the root group, e.g. `children.1.children.0.value`; "" for the rule itself. */
  path: string;
  key: TranslationKey;
}

export type RuleValidation = { ok: true; rule: RuleGroup } | { ok: false; errors: RuleError[] };

export const MAX_RULE_DEPTH = 4;
export const MAX_CONDITIONS = 50;
const MAX_LIST_VALUES = 100;
const MAX_TEXT = 255;
const MAX_DAYS = 3650;

const conditionShape = z.object({
  type: z.literal("condition"),
  field: z.string(),
  operator: z.string(),
  value: z.union([z.number(), z.string(), z.array(z.string())]),
  withinDays: z.number().nullable().optional(),
});

const nodeShape: z.ZodType<unknown> = z.lazy(() => z.union([conditionShape, groupShape]));
const groupShape = z.object({
  type: z.literal("group"),
  match: z.enum(["all", "any"]),
  children: z.array(nodeShape),
});

/** The rule that matches every customer with a profile (an empty "all" group). */
export function everyoneRule(): RuleGroup {
  return { type: "group", match: "all", children: [] };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export function isCalendarDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const isWholeDays = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_DAYS;

function conditionErrors(node: z.infer<typeof conditionShape>, path: string): RuleError[] {
  const at = (part: string) => (path ? `${path}.${part}` : part);
  if (!isFieldKey(node.field)) return [{ path: at("field"), key: "segmentRule.error.unknownField" }];
  const field = FIELDS[node.field];
  if (!(operatorsOf(node.field) as readonly string[]).includes(node.operator)) return [{ path: at("operator"), key: "segmentRule.error.operator" }];
  const value = node.value;
  const valueError = (key: TranslationKey): RuleError[] => [{ path: at("value"), key }];
  if (node.withinDays !== undefined && node.withinDays !== null) {
    if (field.type !== "purchase") return [{ path: at("withinDays"), key: "segmentRule.error.withinDays" }];
    if (!isWholeDays(node.withinDays)) return [{ path: at("withinDays"), key: "segmentRule.error.days" }];
  }
  switch (field.type) {
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return valueError("segmentRule.error.number");
      if ("integer" in field && field.integer && !Number.isInteger(value)) return valueError("segmentRule.error.integer");
      if ("min" in field && field.min !== undefined && value < field.min) return valueError("segmentRule.error.range");
      if ("max" in field && field.max !== undefined && value > field.max) return valueError("segmentRule.error.range");
      return [];
    }
    case "enum": {
      if (!Array.isArray(value) || value.length === 0) return valueError("segmentRule.error.chooseValue");
      const allowed = field.values as readonly string[];
      if (value.some((v) => !allowed.includes(v))) return valueError("segmentRule.error.unknownValue");
      return [];
    }
    case "text":
    case "purchase": {
      if (!Array.isArray(value) || value.length === 0) return valueError("segmentRule.error.chooseValue");
      if (value.length > MAX_LIST_VALUES) return valueError("segmentRule.error.tooManyValues");
      if (value.some((v) => v.trim() === "" || v.length > MAX_TEXT)) return valueError("segmentRule.error.text");
      return [];
    }
    case "date": {
      if (node.operator === "before" || node.operator === "after") {
        return typeof value === "string" && isCalendarDay(value) ? [] : valueError("segmentRule.error.date");
      }
      return isWholeDays(value) ? [] : valueError("segmentRule.error.days");
    }
    case "tag": {
      // Empty until one is picked from the shop's tags (or typed): the picker's own words.
      if (typeof value !== "string" || value.trim() === "") return valueError("segmentRule.error.chooseTag");
      if (value.length > MAX_TEXT) return valueError("segmentRule.error.text");
      if (value.includes(",")) return valueError("segmentRule.error.tagComma");
      return [];
    }
  }
}

/**
 * Checks `input` (parsed JSON from the builder or the database) and returns the typed rule or
 * every problem found. The root must be a group.
 */
export function validateRule(input: unknown): RuleValidation {
  const shape = groupShape.safeParse(input);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    return { ok: false, errors: [{ path: issue.path.map(String).join("."), key: "segmentRule.error.shape" }] };
  }
  const errors: RuleError[] = [];
  let conditions = 0;
  const walk = (node: unknown, path: string, depth: number) => {
    const group = node as { type: string; children?: unknown[] };
    if (group.type === "group") {
      if (depth > MAX_RULE_DEPTH) {
        errors.push({ path, key: "segmentRule.error.depth" });
        return;
      }
      group.children!.forEach((child, i) => walk(child, path ? `${path}.children.${i}` : `children.${i}`, depth + 1));
      return;
    }
    conditions++;
    errors.push(...conditionErrors(node as z.infer<typeof conditionShape>, path));
  };
  walk(shape.data, "", 1);
  if (conditions > MAX_CONDITIONS) errors.push({ path: "", key: "segmentRule.error.tooManyConditions" });
  return errors.length === 0 ? { ok: true, rule: shape.data as RuleGroup } : { ok: false, errors };
}

/** A stored rule of this version, or null (another version, or not a valid rule any more). */
export function parseStoredRule(version: number, json: string): RuleGroup | null {
  if (version !== RULES_VERSION) return null;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  const checked = validateRule(data);
  return checked.ok ? checked.rule : null;
}

export function serializeRule(rule: RuleGroup): string {
  return JSON.stringify(rule);
}

/** Every condition of the tree, depth first. */
export function ruleConditions(node: RuleNode): RuleCondition[] {
  return node.type === "condition" ? [node] : node.children.flatMap(ruleConditions);
}
