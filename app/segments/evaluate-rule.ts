/**
 * The same rule, evaluated in memory over plain objects: the reference the compiled SQL is
 * tested against (property test in compile-rule.db.test.ts), and the way to check one
 * customer without a query. Null semantics follow SQL's, as compile-rule.ts documents.
 */
import { FIELDS } from "./field-catalogue";
import { dateBounds, purchaseWindowStart } from "./compile-rule";
import type { RuleCondition, RuleNode } from "./rule-tree";

/** One line of one of the customer's orders, with the flags that decide whether the order counts. */
export interface CandidatePurchase {
  at: Date;
  test: boolean;
  cancelled: boolean;
  deleted: boolean;
  productShopifyId: string | null;
  productType: string | null;
  vendor: string | null;
}

/** What a rule can read about one customer: profile columns, customer columns, tags and purchases. */
export interface SegmentCandidate {
  customerShopifyId: string;
  /** CustomerProfile columns by name (numbers, strings, Dates or null). */
  profile: Record<string, number | string | Date | null>;
  /** Customer columns by name (countryCode, province, city, emailMarketingState). */
  customer: Record<string, string | null>;
  tags: readonly string[];
  purchases: readonly CandidatePurchase[];
}

function compare(op: RuleCondition["operator"], a: number, b: number): boolean {
  switch (op) {
    case "eq":
      return a === b;
    case "neq":
      return a !== b;
    case "gt":
      return a > b;
    case "gte":
      return a >= b;
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
    default:
      throw new Error(`not a number operator: ${op}`);
  }
}

function matchesCondition(condition: RuleCondition, candidate: SegmentCandidate, now: Date): boolean {
  const field = FIELDS[condition.field];
  switch (field.type) {
    case "tag": {
      const has = candidate.tags.includes(condition.value as string);
      return condition.operator === "has" ? has : !has;
    }
    case "purchase": {
      const values = condition.value as string[];
      const since = purchaseWindowStart(condition, now);
      const bought = candidate.purchases.some((line) => {
        if (line.test || line.cancelled || line.deleted) return false;
        if (since && line.at.getTime() < since.getTime()) return false;
        const value = line[field.lineColumn];
        return value !== null && values.includes(value);
      });
      return condition.operator === "bought" ? bought : !bought;
    }
    default: {
      const raw = field.table === "p" ? candidate.profile[field.column] : candidate.customer[field.column];
      const value = raw === undefined ? null : raw;
      if (condition.operator === "not-in") return value === null || !(condition.value as string[]).includes(value as string);
      if (value === null) return false;
      if (condition.operator === "in") return (condition.value as string[]).includes(value as string);
      if (field.type === "date") {
        const at = (value as Date).getTime();
        const { from, until } = dateBounds(condition, now);
        return (from === null || at >= from.getTime()) && (until === null || at < until.getTime());
      }
      return compare(condition.operator, value as number, condition.value as number);
    }
  }
}

export function matchesRule(node: RuleNode, candidate: SegmentCandidate, now: Date): boolean {
  if (node.type === "condition") return matchesCondition(node, candidate, now);
  return node.match === "all" ? node.children.every((child) => matchesRule(child, candidate, now)) : node.children.some((child) => matchesRule(child, candidate, now));
}
