/**
 * Built-in segments (issue #11 §2): one per customer group, lifecycle stage, customer type,
 * named RFM group, spend tier, and high churn risk. Every shop gets them after its first
 * analysis; their definitions live here, so a change of definition reaches every shop at the
 * next refresh (`ensureBuiltinSegments` rewrites the stored rule). Read-only for merchants:
 * "duplicate and edit" makes a custom copy.
 */
import type { RecommendedActionId } from "~/analytics/actions/recommended-actions";
import type { TranslationKey } from "~/i18n/translate";
import { FIELDS, type FieldKey } from "./field-catalogue";
import type { RuleGroup } from "./rule-tree";

export interface BuiltinSegment {
  /** Stored in `Segment.builtinKey`, e.g. `lifecycle:lost`. */
  key: string;
  /** Stable handle (the tag suffix), e.g. `lifecycle-lost`. */
  handle: string;
  /** English name stored on the row (names are unique per shop); pages show `label` translated. */
  name: string;
  label: TranslationKey;
  /** For RFM groups the label takes `{group}`. */
  labelValues?: Record<string, TranslationKey>;
  rule: RuleGroup;
}

const oneOf = (field: FieldKey, value: string): RuleGroup => ({ type: "group", match: "all", children: [{ type: "condition", field, operator: "in", value: [value] }] });

const ENGLISH: Record<string, string> = {
  "group:one-time": "One-time buyers",
  "group:loyal": "Loyal customers",
  "group:frequent": "Frequent customers",
  "group:vip": "VIP customers",
  "lifecycle:new": "New customers",
  "lifecycle:active": "Active customers",
  "lifecycle:slipping-away": "Slipping away",
  "lifecycle:lost": "Lost customers",
  "type:new": "New (customer type)",
  "type:returning": "Returning customers",
  "type:vip": "VIP (top spenders)",
  "type:at-risk": "At risk",
  "type:one-time-inactive": "One-time, inactive",
  "spend:high": "High spenders",
  "spend:mid": "Mid spenders",
  "spend:low": "Low spenders",
  "churn:high": "High churn risk",
};

function simple(kind: string, field: FieldKey, value: string): BuiltinSegment {
  const key = `${kind}:${value}`;
  return { key, handle: `${kind}-${value}`, name: ENGLISH[key], label: `segments.builtin.${kind}.${value}` as TranslationKey, rule: oneOf(field, value) };
}

export const BUILTIN_SEGMENTS: readonly BuiltinSegment[] = [
  ...FIELDS.customerGroup.values.map((g) => simple("group", "customerGroup", g)),
  ...FIELDS.lifecycleStage.values.map((s) => simple("lifecycle", "lifecycleStage", s)),
  ...FIELDS.customerType.values.map((t) => simple("type", "customerType", t)),
  ...FIELDS.rfmGroup.values.map(
    (g): BuiltinSegment => ({
      key: `rfm:${g}`,
      handle: `rfm-${g}`,
      name: `RFM: ${g}`,
      label: "segments.builtin.rfmName",
      labelValues: { group: `segmentRule.rfmGroup.${g}` as TranslationKey },
      rule: oneOf("rfmGroup", g),
    }),
  ),
  ...FIELDS.spendTier.values.map((t) => simple("spend", "spendTier", t)),
  simple("churn", "churnRisk", "high"),
];

export function builtinSegment(key: string): BuiltinSegment | null {
  return BUILTIN_SEGMENTS.find((b) => b.key === key) ?? null;
}

/** The built-in segment a recommended action targets (its customer type). */
export const ACTION_SEGMENTS: Record<RecommendedActionId, string> = {
  "small-vip-segment": "type:vip",
  "rising-churn": "type:at-risk",
  "leaky-bucket": "type:one-time-inactive",
  "growing-at-risk": "type:at-risk",
};

/** A cross-sell audience "bought X, never bought Y" (products by GID). */
export function crossSellRule(bought: string, neverBought: string): RuleGroup {
  return {
    type: "group",
    match: "all",
    children: [
      { type: "condition", field: "product", operator: "bought", value: [bought] },
      { type: "condition", field: "product", operator: "never-bought", value: [neverBought] },
    ],
  };
}

/** A segment's name as translation data: a built-in's label (shown in the admin's language), null for a merchant's own name. */
export interface SegmentLabel {
  key: TranslationKey;
  values?: Record<string, TranslationKey>;
}

export function segmentLabel(segment: { kind: string; builtinKey: string | null }): SegmentLabel | null {
  const builtin = segment.kind === "builtin" && segment.builtinKey ? builtinSegment(segment.builtinKey) : null;
  return builtin ? { key: builtin.label, ...(builtin.labelValues ? { values: builtin.labelValues } : {}) } : null;
}
