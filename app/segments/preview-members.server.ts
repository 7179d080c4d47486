/**
 * The segment builder's live preview on each edit: how many customers of the current analysis a
 * rule matches, and the sample it shows (compile-rule.ts builds the SQL; decision 060).
 */
import type { Database } from "~/db.server";
import { FIELDS } from "./field-catalogue";
import { countQuery, previewQueries, SAMPLE_SIZE, sampleQuery, topClvQuery, type PreviewRow, type RuleScope } from "./compile-rule";
import { ruleConditions, type RuleGroup } from "./rule-tree";

export interface PreviewMember {
  customerShopifyId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  totalSpent: number;
}

/** The profiles of highest predicted CLV among which SQLite first looks for a broad rule's sample. */
export const SAMPLE_WINDOW = 2000;

/** The rule's member count and its sample, highest predicted CLV first. `window`: tests make it small. */
export async function previewMembers(db: Database, rule: RuleGroup, scope: RuleScope, window = SAMPLE_WINDOW): Promise<{ members: number; sample: PreviewMember[] }> {
  if (scope.dialect === "sqlite" && !readsPurchases(rule)) {
    const sample = await sampleAmongTopClv(db, rule, scope, window);
    if (sample) {
      const count = countQuery(rule, scope);
      const [{ n }] = await db.$queryRawUnsafe<{ n: number | bigint }[]>(count.sql, ...count.params);
      return { members: Number(n), sample: sample.map(member) };
    }
  }
  // One query on SQLite; on PostgreSQL the count and the sample at once, each on a connection of the pool.
  const results = await Promise.all(previewQueries(rule, scope).map((query) => db.$queryRawUnsafe<PreviewRow[]>(query.sql, ...query.params)));
  const rows = results.flat();
  return { members: Number(rows[0].n), sample: rows.filter(isMember).map(member) };
}

/**
 * SQLite, one connection: counting and sampling a broad rule in one query kept all its members
 * (224k of 275k at 1M orders) only to pick ten. Its sample is almost always among the profiles of
 * highest CLV, read by the generation's index: the rule there, then the count alone. The sample
 * is the true one when the window holds the whole generation, or when the last sampled member's
 * CLV is above the window's lowest (every profile outside ranks after it); otherwise null, and
 * the caller runs the one query. A purchase condition builds its buyers' set in each query, so
 * rules with one keep the one query.
 */
async function sampleAmongTopClv(db: Database, rule: RuleGroup, scope: RuleScope, window: number): Promise<MemberRow[] | null> {
  const top = topClvQuery(scope, window);
  const profiles = await db.$queryRawUnsafe<{ customerId: number; predictedClv: number | null }[]>(top.sql, ...top.params);
  const sample = sampleQuery(rule, { ...scope, customerIds: profiles.map((p) => Number(p.customerId)) });
  const rows = (await db.$queryRawUnsafe<PreviewRow[]>(sample.sql, ...sample.params)).filter(isMember);
  if (profiles.length < window) return rows;
  if (rows.length < SAMPLE_SIZE) return null;
  const last = rows[SAMPLE_SIZE - 1].predictedClv ?? null;
  const lowest = profiles[profiles.length - 1].predictedClv;
  return last !== null && (lowest === null || last > lowest) ? rows : null;
}

const readsPurchases = (rule: RuleGroup) => ruleConditions(rule).some((condition) => FIELDS[condition.field].type === "purchase");

/** A row of a sampled member (not PostgreSQL's count row, nor SQLite's row of a rule without members). */
type MemberRow = PreviewRow & { customerShopifyId: string };

const isMember = (row: PreviewRow): row is MemberRow => row.customerShopifyId != null;

const member = (row: MemberRow): PreviewMember => ({
  customerShopifyId: row.customerShopifyId,
  firstName: row.firstName,
  lastName: row.lastName,
  email: row.email,
  totalSpent: Number(row.totalSpent),
});
