/**
 * Compiles a rule tree to ONE parameterised SQL query over the shop's current generation of
 * customer profiles, for SQLite and PostgreSQL (docs/decisions/023-segments-rule-compiler.md).
 *
 * - Every value is a bind parameter; identifiers come only from the field catalogue and go
 *   through `quote`, so nothing a merchant types ever becomes SQL.
 * - The query reads the generation's profiles alone (docs/decisions/034-live-count-sql-shape.md):
 *   no join to `Customer`. Deleted customers are left out as `NOT IN` the shop's deleted ones;
 *   a condition on the customer record (alias `c`) is a semi-join on the customer's row;
 *   "bought / never bought" is `IN` / `NOT IN` the set of customers with a counted order (not
 *   test, not cancelled, not deleted) holding a line of the named products, types or vendors,
 *   read from the lines' copy of their order's buyer and purchase time;
 *   "has tag / has not tag" is `IN` / `NOT IN` the holders of the tag in `CustomerTag`.
 * - On PostgreSQL those sets are hashed filters of the generation's scan, probed after the
 *   profile's own columns (decision 064); SQLite keeps the written order and form (decision 062).
 * - Null semantics are SQL's, and `evaluate-rule.ts` mirrors them: a comparison with an
 *   unknown value is false, except "is not one of", which includes the unknown.
 * - Relative dates ("within the last N days") are measured from the start of `now`'s UTC day,
 *   the same day boundary the stored dates have (they are day midnights).
 */
import { placeholder, quote, type SqlDialect } from "~/sync/store/sql-dialect";
import { FIELDS, type ColumnField, type PurchaseField } from "./field-catalogue";
import type { RuleCondition, RuleGroup, RuleNode } from "./rule-tree";

export interface RuleScope {
  dialect: SqlDialect;
  shop: string;
  /** The shop's current generation (readCurrentAnalysis). */
  snapshotId: number;
  /** Reference instant for relative dates. */
  now: Date;
  /** Only these customers, by `Customer.id` (the per-order refresh re-evaluates just the customers it rescored). */
  customerIds?: readonly number[];
}

export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

const DAY_MS = 86_400_000;

/** Midnight UTC of `now`'s day, plus `days`. */
export function dayStart(now: Date, days = 0): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + days * DAY_MS);
}

/** The instant a date condition compares with, and how (the same numbers the evaluator uses). */
export function dateBounds(condition: RuleCondition, now: Date): { from: Date | null; until: Date | null } {
  const value = condition.value;
  switch (condition.operator) {
    case "before":
      return { from: null, until: new Date(`${value as string}T00:00:00Z`) };
    case "after":
      return { from: new Date(new Date(`${value as string}T00:00:00Z`).getTime() + DAY_MS), until: null };
    case "within-last-days":
      return { from: dayStart(now, -(value as number)), until: null };
    case "within-next-days":
      return { from: dayStart(now), until: dayStart(now, (value as number) + 1) };
    default:
      throw new Error(`not a date operator: ${condition.operator}`);
  }
}

/** Start of the purchase window of a "bought within N days" condition (null: ever). */
export function purchaseWindowStart(condition: RuleCondition, now: Date): Date | null {
  return condition.withinDays ? dayStart(now, -condition.withinDays) : null;
}

/** Whether a node reads a set beyond the profile's own row (tags, purchases, the customer's row). */
function readsBeyondProfile(node: RuleNode): boolean {
  if (node.type === "group") return node.children.some(readsBeyondProfile);
  const field = FIELDS[node.field];
  return field.type === "tag" || field.type === "purchase" || field.table === "c";
}

const NUMBER_SQL = { eq: "=", neq: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

class Compiler {
  readonly params: unknown[] = [];
  constructor(readonly scope: RuleScope) {}

  bind(value: unknown): string {
    this.params.push(value);
    return placeholder(this.scope.dialect, this.params.length);
  }

  /**
   * A stored instant against the midnight (UTC) that starts `day`, the only kind of bound a rule
   * has (dateBounds, purchaseWindowStart). SQLite keeps DateTime as ISO text in UTC, "…+00:00"
   * (Prisma, the batch writers) or "…Z", which begins with its day: the instant is at or after
   * the midnight exactly when the text sorts at or after "YYYY-MM-DD", so the rows are compared
   * as stored, without parsing each with julianday (bench/RESULTS.md "Live count of a
   * 10-condition rule"). PostgreSQL compares timestamps.
   */
  dayBound(column: string, op: "<" | ">=", day: Date): string {
    if (day.getTime() % DAY_MS !== 0) throw new Error(`not a UTC midnight: ${day.toISOString()}`);
    // "After 9999-12-31": later than every storable instant, and not a four-digit day to compare with.
    if (day.getUTCFullYear() > 9999) return op === ">=" ? "1=0" : `${column} IS NOT NULL`;
    if (this.scope.dialect === "sqlite") return `${column} ${op} ${this.bind(day.toISOString().slice(0, 10))}`;
    return `${column} ${op} CAST(${this.bind(day.toISOString().slice(0, 23))} AS timestamp(3))`;
  }

  list(values: readonly string[]): string {
    return values.map((v) => this.bind(v)).join(", ");
  }

  node(node: RuleNode): string {
    if (node.type === "condition") return this.condition(node);
    if (node.children.length === 0) return node.match === "all" ? "1=1" : "1=0";
    // PostgreSQL evaluates a scan's filters of equal estimated cost in the order written, and
    // rates a probe of a hashed set as cheap as a column test: the profile's own columns go first,
    // so each set is probed only for the rows they leave (decision 064).
    const children = this.scope.dialect === "postgresql" ? [...node.children.filter((child) => !readsBeyondProfile(child)), ...node.children.filter(readsBeyondProfile)] : node.children;
    return `(${children.map((child) => this.node(child)).join(node.match === "all" ? " AND " : " OR ")})`;
  }

  condition(condition: RuleCondition): string {
    const field = FIELDS[condition.field];
    switch (field.type) {
      case "number":
      case "enum":
      case "text":
      case "date":
        return this.column(field, condition);
      case "tag":
        return this.tag(condition);
      case "purchase":
        return this.purchase(field, condition);
    }
  }

  column(field: ColumnField, condition: RuleCondition): string {
    if (field.table === "c") return this.customer(this.test(`c.${quote(field.column)}`, condition));
    return this.test(`p.${quote(field.column)}`, condition);
  }

  /**
   * A condition on the customer's row. SQLite: a lookup by rowid per profile, which the scan
   * in customer id order makes sequential. PostgreSQL: `IN` the customers that satisfy it, one
   * hashed set (a correlated EXISTS under an OR would be a lookup per profile).
   */
  customer(test: string): string {
    if (this.scope.dialect === "sqlite") return `EXISTS (SELECT 1 FROM "Customer" c WHERE c."id" = p."customerId" AND ${test})`;
    return `p."customerId" IN (SELECT c."id" FROM "Customer" c WHERE c."shop" = ${this.bind(this.scope.shop)} AND ${test})`;
  }

  test(column: string, condition: RuleCondition): string {
    switch (condition.operator) {
      case "eq":
      case "neq":
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        return `${column} ${NUMBER_SQL[condition.operator]} ${this.bind(condition.value)}`;
      case "in":
        return `${column} IN (${this.list(condition.value as string[])})`;
      case "not-in":
        return `(${column} IS NULL OR ${column} NOT IN (${this.list(condition.value as string[])}))`;
      default: {
        const { from, until } = dateBounds(condition, this.scope.now);
        const parts = [from && this.dayBound(column, ">=", from), until && this.dayBound(column, "<", until)].filter(Boolean);
        return `(${parts.join(" AND ")})`;
      }
    }
  }

  tag(condition: RuleCondition): string {
    // The holders as one uncorrelated set from the tag rows, by the (shop, tag) index, instead
    // of reading every customer's JSON tags (decision 028). customerId is never NULL, so NOT IN
    // is exact.
    const holders = `SELECT t."customerId" FROM "CustomerTag" t WHERE t."shop" = ${this.bind(this.scope.shop)} AND t."tag" = ${this.bind(condition.value)}`;
    return `p."customerId" ${condition.operator === "has" ? "IN" : "NOT IN"} (${holders})`;
  }

  purchase(field: PurchaseField, condition: RuleCondition): string {
    const since = purchaseWindowStart(condition, this.scope.now);
    // The buyers as one uncorrelated set, not a lookup per customer. Each line carries its
    // order's buyer (null unless the order counts: not test, cancelled or deleted; and for guest
    // orders, so NULL never reaches NOT IN) and purchase time (decision 037, line-purchase.ts):
    // for a product they come from the (shop, productShopifyId, buyerId, purchasedAt) index
    // alone, without visiting Order once per line. The buyer is the customer's row id, the
    // profiles' own key: SQLite then looks a "bought" set's members up by the primary key
    // instead of scanning the generation, and both databases compare integers (decision 062).
    const buyers = `SELECT l."buyerId" FROM "OrderLine" l
      WHERE l."shop" = ${this.bind(this.scope.shop)} AND l.${quote(field.lineColumn)} IN (${this.list(condition.value as string[])})
        AND l."buyerId" IS NOT NULL${since ? ` AND ${this.dayBound(`l."purchasedAt"`, ">=", since)}` : ""}`;
    if (condition.operator === "never-bought") return `p."customerId" NOT IN (${buyers})`;
    // PostgreSQL over a whole generation: `IS TRUE` keeps the set a hashed filter instead of a
    // semi-join hashing every line (decision 064). A few customers' profiles (the per-order
    // refresh) keep the plain form, which may look each of them up in the lines' index instead.
    if (this.scope.dialect === "postgresql" && !this.scope.customerIds) return `(p."customerId" IN (${buyers})) IS TRUE`;
    return `p."customerId" IN (${buyers})`;
  }
}

/**
 * The generation's profiles by their primary key on SQLite: its order is the order the
 * generation was written in, so the rows are read sequentially. By any other index that
 * starts with the snapshot (the planner's pick among equals) every profile was a random
 * lookup: 1.5 s for 275k profiles against 0.1 s (bench/RESULTS.md "Live count at 1M").
 * The name is SQLite's for the table's PRIMARY KEY; a rebuilt table keeps it, and a missing
 * index fails every rule query (the property test) rather than slowing it.
 */
const SQLITE_PROFILE_SCAN = `INDEXED BY "sqlite_autoindex_CustomerProfile_1"`;

/**
 * `SELECT <select> FROM <profiles of the generation, customers not deleted> WHERE <rule>`.
 * `select` and `tail` are ours (never user input) and read the profile `p` only, e.g.
 * `COUNT(*) AS "n"`; a reader that needs the customer's row joins it to the result.
 */
export function compileRuleQuery(rule: RuleGroup, scope: RuleScope, select: string, tail = ""): CompiledQuery {
  const compiler = new Compiler(scope);
  // Every profile has its customer (a foreign key); the shop's deleted customers are few, by the (shop, deletedAt) index.
  const generation = `p."snapshotId" = ${compiler.bind(scope.snapshotId)} AND p."shop" = ${compiler.bind(scope.shop)}`;
  // By the primary key (snapshotId, customerId): point lookups, where the GID index lost to a scan of the generation (bench/RESULTS.md).
  const only = scope.customerIds ? ` AND p."customerId" IN (${scope.customerIds.length ? scope.customerIds.map((id) => compiler.bind(id)).join(", ") : "NULL"})` : "";
  const notDeleted = () => `p."customerId" NOT IN (SELECT d."id" FROM "Customer" d WHERE d."shop" = ${compiler.bind(scope.shop)} AND d."deletedAt" IS NOT NULL)`;
  // On PostgreSQL the deleted customers' set is probed after the rule's filters, as the rule's own sets are (Compiler.node).
  const where = scope.dialect === "postgresql" ? `${compiler.node(rule)} AND ${notDeleted()}` : `${notDeleted()} AND ${compiler.node(rule)}`;
  const from = `"CustomerProfile" p${scope.dialect === "sqlite" ? ` ${SQLITE_PROFILE_SCAN}` : ""}`;
  return {
    sql: `SELECT ${select} FROM ${from} WHERE ${generation}${only} AND ${where}${tail ? ` ${tail}` : ""}`,
    params: compiler.params,
  };
}

/** The members: customer id and GID of each matching profile. */
export function memberQuery(rule: RuleGroup, scope: RuleScope): CompiledQuery {
  return compileRuleQuery(rule, scope, `p."customerId" AS "customerId", p."customerShopifyId" AS "customerShopifyId"`);
}

export function countQuery(rule: RuleGroup, scope: RuleScope): CompiledQuery {
  return compileRuleQuery(rule, scope, `COUNT(*) AS "n"`);
}

/** How many members the builder's preview shows. */
export const SAMPLE_SIZE = 10;

/**
 * The builder's preview: the member count, and the `limit` members of highest predicted CLV with
 * the customer's name and e-mail (ordered; unknown CLV last, then by customer). The customer
 * rows are joined to the sampled members only.
 *
 * - **SQLite: one query**, one evaluation of the rule: the members kept once (a materialized
 *   CTE) for both; one row per sampled member, each carrying the count, or a single row with a
 *   null `customerShopifyId` when the rule has no members. A count and a separate sample
 *   evaluated every product condition twice, one after the other on SQLite's single connection.
 *   (A broad rule's sample is first looked for at the top of the CLV index: topClvQuery.)
 * - **PostgreSQL: the count, then the sample** as two queries, which the caller runs at once on
 *   two connections (preview-members.server.ts): the CTE cost a serial backend as much again as
 *   the rule (1.0–1.9× the count at 1M orders; decision 060).
 */
export function previewQueries(rule: RuleGroup, scope: RuleScope, limit = SAMPLE_SIZE): CompiledQuery[] {
  if (scope.dialect === "postgresql") return [countQuery(rule, scope), sampleQuery(rule, scope, limit)];
  const members = compileRuleQuery(rule, scope, PREVIEW_COLUMNS);
  return [
    {
      sql: `WITH m AS MATERIALIZED (${members.sql})
      SELECT k."n" AS "n", x.* FROM (SELECT COUNT(*) AS "n" FROM m) k LEFT JOIN (${sampleOf("m", scope, limit)}) x ON 1 = 1 ${sampleOrder("x")}`,
      params: members.params,
    },
  ];
}

/** The preview's sample alone: the `limit` members of highest predicted CLV with their names, in order. */
export function sampleQuery(rule: RuleGroup, scope: RuleScope, limit = SAMPLE_SIZE): CompiledQuery {
  const members = compileRuleQuery(rule, scope, PREVIEW_COLUMNS);
  return { sql: `${sampleOf(`(${members.sql}) m`, scope, limit)} ${sampleOrder("s")}`, params: members.params };
}

/**
 * The generation's `size` profiles of highest predicted CLV (unknown last), by the generation's
 * (snapshotId, predictedClv) index: where a broad rule's sample is found (preview-members.server.ts).
 */
export function topClvQuery(scope: RuleScope, size: number): CompiledQuery {
  const p = (i: number) => (scope.dialect === "sqlite" ? "?" : `$${i}`);
  return {
    sql: `SELECT "customerId" AS "customerId", "predictedClv" AS "predictedClv" FROM "CustomerProfile" WHERE "snapshotId" = ${p(1)} ORDER BY "predictedClv" DESC NULLS LAST LIMIT ${Math.trunc(size)}`,
    params: [scope.snapshotId],
  };
}

const PREVIEW_COLUMNS = `p."customerId" AS "customerId", p."customerShopifyId" AS "customerShopifyId", p."totalSpent" AS "totalSpent", p."predictedClv" AS "predictedClv"`;
const sampleOrder = (alias: string) => `ORDER BY ${alias}."predictedClv" DESC NULLS LAST, ${alias}."customerId"`;

/** The sample of the members `m` (PREVIEW_COLUMNS) with their names; ordered by its caller. */
function sampleOf(m: string, scope: RuleScope, limit: number): string {
  return `SELECT s."customerShopifyId" AS "customerShopifyId", c."firstName" AS "firstName", c."lastName" AS "lastName", c."email" AS "email",
        CAST(s."totalSpent" AS ${scope.dialect === "sqlite" ? "REAL" : "float8"}) AS "totalSpent", s."predictedClv" AS "predictedClv", s."customerId" AS "customerId"
      FROM (SELECT * FROM ${m} ${sampleOrder("m")} LIMIT ${Math.trunc(limit)}) s
      LEFT JOIN "Customer" c ON c."id" = s."customerId"`;
}

/** A row of the preview's queries: PostgreSQL's count row has `n` alone; SQLite's rows each carry it. */
export interface PreviewRow {
  n?: number | bigint;
  customerShopifyId?: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  totalSpent: number | null;
  predictedClv?: number | null;
}
