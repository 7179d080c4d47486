/**
 * A one-line reading of a segment's stored rule tree for the page header. The rule's shape is
 * the segments module's (a tree of all/any groups of field–operator–value conditions); this
 * reads it defensively, so a rule it cannot read shows as null (the page then omits the line)
 * rather than breaking the page.
 */
import { FIELDS } from "~/segments/field-catalogue";

type Node = Record<string, unknown>;

/**
 * Words for field names, comparisons and values (the builder's translations); a word without a
 * translation stays as stored, so an unknown field still reads.
 */
export type RuleWords = (key: string) => string | null;

let words: RuleWords = () => null;
const word = (key: string, fallback: string) => words(key) ?? fallback;
/** The products' titles by id: a product condition stores ids. */
let productTitles: Readonly<Record<string, string>> = {};

const GROUP_KEYS = ["all", "any"] as const;
const CHILD_KEYS = ["conditions", "children", "rules"] as const;

function valueText(value: unknown, field?: string): string {
  if (Array.isArray(value)) return value.map((v) => valueText(v, field)).join(", ");
  if (value !== null && typeof value === "object") {
    const v = value as Node;
    if ("amount" in v && "unit" in v) return `${String(v.amount)} ${String(v.unit)}`;
    return Object.values(v).map((part) => valueText(part)).join(" ");
  }
  if (field === "product" && Object.hasOwn(productTitles, String(value))) return productTitles[String(value)];
  const prefix = field && field in FIELDS ? (FIELDS[field as keyof typeof FIELDS] as { valueLabelPrefix?: string }).valueLabelPrefix : undefined;
  return prefix ? word(`${prefix}${String(value)}`, String(value)) : String(value);
}

function summarize(node: unknown, depth: number): string | null {
  if (depth > 8 || node === null || typeof node !== "object") return null;
  const n = node as Node;
  if (typeof n.field === "string" && typeof n.operator === "string") {
    const field = n.field in FIELDS ? word(FIELDS[n.field as keyof typeof FIELDS].label, n.field) : n.field;
    const operator = word(`segmentRule.operator.${n.operator}`, n.operator);
    return "value" in n && n.value !== undefined && n.value !== null ? `${field} ${operator} ${valueText(n.value, n.field)}` : `${field} ${operator}`;
  }
  for (const key of GROUP_KEYS) {
    if (Array.isArray(n[key])) return group(n[key] as unknown[], key, depth);
  }
  const combinator = [n.combinator, n.kind, n.type, n.op, n.match].find((v) => v === "all" || v === "any") as "all" | "any" | undefined;
  for (const key of CHILD_KEYS) {
    if (Array.isArray(n[key])) return group(n[key] as unknown[], combinator ?? "all", depth);
  }
  if (n.root !== undefined) return summarize(n.root, depth);
  return null;
}

function group(children: unknown[], kind: "all" | "any", depth: number): string | null {
  const parts = children.map((c) => summarize(c, depth + 1));
  if (parts.some((p) => p === null)) return null;
  const text = parts.join(kind === "all" ? ` ${word("segmentPage.rule.and", "and")} ` : ` ${word("segmentPage.rule.or", "or")} `);
  return depth > 0 && parts.length > 1 ? `(${text})` : text;
}

/** "lifecycle = lost and (orders ≥ 2 or spend tier = high)", or null when the rule is empty or unreadable. */
export function ruleSummary(rulesJson: string, ruleWords?: RuleWords, titles: Readonly<Record<string, string>> = {}): string | null {
  words = ruleWords ?? (() => null);
  productTitles = titles;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rulesJson);
  } catch {
    return null;
  }
  const text = summarize(parsed, 0);
  return text === "" ? null : text;
}
