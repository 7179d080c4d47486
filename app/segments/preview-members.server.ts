/**
 * The segment builder's live preview on each edit: how many customers of the current analysis a
 * rule matches, and the sample it shows (compile-rule.ts previewQueries builds the SQL).
 */
import type { Database } from "~/db.server";
import { previewQueries, type PreviewRow, type RuleScope } from "./compile-rule";
import type { RuleGroup } from "./rule-tree";

export interface PreviewMember {
  customerShopifyId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  totalSpent: number;
}

/** The rule's member count and its sample, highest predicted CLV first. */
export async function previewMembers(db: Database, rule: RuleGroup, scope: RuleScope): Promise<{ members: number; sample: PreviewMember[] }> {
  // One query on SQLite; on PostgreSQL the count and the sample at once, each on a connection of the pool.
  const results = await Promise.all(previewQueries(rule, scope).map((query) => db.$queryRawUnsafe<PreviewRow[]>(query.sql, ...query.params)));
  const rows = results.flat();
  return {
    members: Number(rows[0].n),
    sample: rows
      .filter((row): row is PreviewRow & { customerShopifyId: string } => row.customerShopifyId != null)
      .map((row) => ({ customerShopifyId: row.customerShopifyId, firstName: row.firstName, lastName: row.lastName, email: row.email, totalSpent: Number(row.totalSpent) })),
  };
}
