/**
 * A one-line reading of a segment's stored rule tree for the page header. The rule's shape is
 * the segments module's (a tree of all/any groups of field–operator–value conditions); this
 * reads it defensively, so a rule it cannot read shows as null (the page then omits the line)
 * rather than breaking the page.
 */
type Node = Record<string, unknown>;

const GROUP_KEYS = ["all", "any"] as const;
const CHILD_KEYS = ["conditions", "children", "rules"] as const;

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(valueText).join(", ");
  if (value !== null && typeof value === "object") {
    const v = value as Node;
    if ("amount" in v && "unit" in v) return `${String(v.amount)} ${String(v.unit)}`;
    return Object.values(v).map(valueText).join(" ");
  }
  return String(value);
}

function summarize(node: unknown, depth: number): string | null {
  if (depth > 8 || node === null || typeof node !== "object") return null;
  const n = node as Node;
  if (typeof n.field === "string" && typeof n.operator === "string") {
    return "value" in n && n.value !== undefined && n.value !== null ? `${n.field} ${n.operator} ${valueText(n.value)}` : `${n.field} ${n.operator}`;
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
  const text = parts.join(kind === "all" ? " and " : " or ");
  return depth > 0 && parts.length > 1 ? `(${text})` : text;
}

/** "lifecycle = lost and (orders ≥ 2 or spend tier = high)", or null when the rule is empty or unreadable. */
export function ruleSummary(rulesJson: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rulesJson);
  } catch {
    return null;
  }
  const text = summarize(parsed, 0);
  return text === "" ? null : text;
}
