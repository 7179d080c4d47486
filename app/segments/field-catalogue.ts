/**
 * Every field a segment rule can read (issue #11 §1), with its type, the operators that fit the
 * type, its label's translation key and its value domain. The rule compiler takes column names
 * only from here, so a rule can never name an arbitrary column.
 *
 * Sources: the customer's profile of the shop's current generation (`CustomerProfile`, alias
 * `p`), the customer record as synced (`Customer`, alias `c`), and the customer's orders
 * (`Order` + `OrderLine`) for "bought / never bought".
 */
import { CUSTOMER_TYPES } from "~/analytics/customer-types/customer-types";
import { CUSTOMER_GROUPS } from "~/analytics/groups/customer-groups";
import { SPEND_TIERS } from "~/analytics/groups/spend-tier";
import { STAGE_NAMES, type LifecycleStage } from "~/analytics/lifecycle/lifecycle-stage";
import { RFM_GROUPS } from "~/analytics/rfm/rfm-group";
import { CHURN_RISKS } from "~/analytics/scores/customer-score-rows";
import type { TranslationKey } from "~/i18n/translate";

export type FieldType = "number" | "enum" | "text" | "date" | "tag" | "purchase";

export const OPERATORS_BY_TYPE = {
  number: ["eq", "neq", "gt", "gte", "lt", "lte"],
  enum: ["in", "not-in"],
  text: ["in", "not-in"],
  date: ["before", "after", "within-last-days", "within-next-days"],
  tag: ["has", "has-not"],
  purchase: ["bought", "never-bought"],
} as const satisfies Record<FieldType, readonly string[]>;

export type Operator = (typeof OPERATORS_BY_TYPE)[FieldType][number];

/** Shopify's e-mail marketing consent states (CustomerEmailMarketingState, Admin API 2026-10). */
export const EMAIL_MARKETING_STATES = ["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"] as const;

export const LIFECYCLE_STAGE_VALUES = STAGE_NAMES.filter((s): s is LifecycleStage => s !== null);

interface FieldBase {
  label: TranslationKey;
}
/** A column of the profile (`p`) or the customer (`c`). */
export interface ColumnField extends FieldBase {
  type: "number" | "enum" | "text" | "date";
  table: "p" | "c";
  column: string;
  /** Only for enums: the values a condition may name, with the key prefix of their labels. */
  values?: readonly string[];
  valueLabelPrefix?: string;
  /** Money in the shop's currency (for display and input). */
  money?: boolean;
  /** A probability 0–1 (entered and shown as a percentage). */
  fraction?: boolean;
  /** Whole numbers only (scores, counts, days). */
  integer?: boolean;
  min?: number;
  max?: number;
  /** Operators this field allows, when fewer than its type's (next order: only future windows). */
  operators?: readonly Operator[];
}
export interface TagField extends FieldBase {
  type: "tag";
}
/** What a line of an order says about the product: its id, its type or its vendor. */
export interface PurchaseField extends FieldBase {
  type: "purchase";
  lineColumn: "productShopifyId" | "productType" | "vendor";
}
export type FieldDefinition = ColumnField | TagField | PurchaseField;

const score = (column: string, label: TranslationKey): ColumnField => ({ type: "number", table: "p", column, label, integer: true, min: 1, max: 5 });

export const FIELDS = {
  recencyScore: score("recencyScore", "segmentRule.field.recencyScore"),
  frequencyScore: score("frequencyScore", "segmentRule.field.frequencyScore"),
  monetaryScore: score("monetaryScore", "segmentRule.field.monetaryScore"),
  rfmGroup: { type: "enum", table: "p", column: "rfmGroup", label: "segmentRule.field.rfmGroup", values: RFM_GROUPS, valueLabelPrefix: "segmentRule.rfmGroup." },
  customerGroup: { type: "enum", table: "p", column: "customerGroup", label: "segmentRule.field.customerGroup", values: CUSTOMER_GROUPS, valueLabelPrefix: "group." },
  lifecycleStage: { type: "enum", table: "p", column: "lifecycleStage", label: "segmentRule.field.lifecycleStage", values: LIFECYCLE_STAGE_VALUES, valueLabelPrefix: "lifecycle." },
  customerType: { type: "enum", table: "p", column: "customerType", label: "segmentRule.field.customerType", values: CUSTOMER_TYPES, valueLabelPrefix: "segmentRule.customerType." },
  spendTier: { type: "enum", table: "p", column: "spendTier", label: "segmentRule.field.spendTier", values: SPEND_TIERS, valueLabelPrefix: "segmentRule.spendTier." },
  churnRisk: { type: "enum", table: "p", column: "churnRisk", label: "segmentRule.field.churnRisk", values: CHURN_RISKS, valueLabelPrefix: "churnRisk." },
  pAlive: { type: "number", table: "p", column: "pAlive", label: "segmentRule.field.pAlive", fraction: true, min: 0, max: 1 },
  expectedOrders: { type: "number", table: "p", column: "expectedOrders", label: "segmentRule.field.expectedOrders", min: 0 },
  predictedClv: { type: "number", table: "p", column: "predictedClv", label: "segmentRule.field.predictedClv", money: true },
  nextOrderAt: { type: "date", table: "p", column: "nextOrderAt", label: "segmentRule.field.nextOrderAt", operators: ["before", "after", "within-next-days"] },
  orderCount: { type: "number", table: "p", column: "orderCount", label: "segmentRule.field.orderCount", integer: true, min: 0 },
  totalSpent: { type: "number", table: "p", column: "totalSpent", label: "segmentRule.field.totalSpent", money: true },
  averageOrderValue: { type: "number", table: "p", column: "averageOrderValue", label: "segmentRule.field.averageOrderValue", money: true },
  firstOrderAt: { type: "date", table: "p", column: "firstOrderAt", label: "segmentRule.field.firstOrderAt", operators: ["before", "after", "within-last-days"] },
  lastOrderAt: { type: "date", table: "p", column: "lastOrderAt", label: "segmentRule.field.lastOrderAt", operators: ["before", "after", "within-last-days"] },
  daysSinceLastOrder: { type: "number", table: "p", column: "daysSinceLastOrder", label: "segmentRule.field.daysSinceLastOrder", integer: true, min: 0 },
  acquisitionSource: { type: "text", table: "p", column: "acquisitionSource", label: "segmentRule.field.acquisitionSource" },
  country: { type: "text", table: "c", column: "countryCode", label: "segmentRule.field.country" },
  province: { type: "text", table: "c", column: "province", label: "segmentRule.field.province" },
  city: { type: "text", table: "c", column: "city", label: "segmentRule.field.city" },
  emailMarketing: { type: "enum", table: "c", column: "emailMarketingState", label: "segmentRule.field.emailMarketing", values: EMAIL_MARKETING_STATES, valueLabelPrefix: "segmentRule.emailMarketing." },
  tags: { type: "tag", label: "segmentRule.field.tags" },
  product: { type: "purchase", lineColumn: "productShopifyId", label: "segmentRule.field.product" },
  productType: { type: "purchase", lineColumn: "productType", label: "segmentRule.field.productType" },
  vendor: { type: "purchase", lineColumn: "vendor", label: "segmentRule.field.vendor" },
} as const satisfies Record<string, FieldDefinition>;

export type FieldKey = keyof typeof FIELDS;
export const FIELD_KEYS = Object.keys(FIELDS) as FieldKey[];

export function fieldDefinition(key: FieldKey): FieldDefinition {
  return FIELDS[key];
}

export function operatorsOf(key: FieldKey): readonly Operator[] {
  const field: FieldDefinition = FIELDS[key];
  if ("operators" in field && field.operators) return field.operators;
  return OPERATORS_BY_TYPE[field.type];
}

export function isFieldKey(value: unknown): value is FieldKey {
  return typeof value === "string" && Object.hasOwn(FIELDS, value);
}
