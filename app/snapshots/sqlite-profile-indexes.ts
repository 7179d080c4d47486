/**
 * How SQLite indexes the profiles' sorts (docs/decisions/050). The schema's four sort indexes
 * `(snapshotId, column)` on `CustomerProfile` cost a recompute ~0.7 s each at 1M orders there,
 * because each of a new generation's 275k entries landed at a random place of an index that holds
 * every generation. Each generation has its own instead: partial indexes `(snapshotId, column)
 * WHERE snapshotId = <id>`, built by sorting right after the generation's switch (decision 067)
 * and dropped before its rows are deleted. The planner uses a generation's index for any query naming its
 * snapshot id, as a literal or as a bound parameter (SQLite plans a statement again when a
 * parameter that such a condition compares with is bound).
 *
 * The `(customerId)` index stays, though its new entries interleave with the previous
 * generation's too: it is the foreign key's child index (deleting customers looks their profiles
 * up by it), and serving that look-up from the primary key instead needed planner statistics that
 * made other pages slower (bench/RESULTS.md "Thirteenth session").
 *
 * PostgreSQL keeps the schema's indexes: each generation is a table of its own there, indexed
 * after its COPY (decision 047). The schema remains the one list of what is indexed; this module
 * maps it to SQLite's layout.
 */
import type Database from "better-sqlite3";
import { whenSqliteWriteLockFree } from "~/db/bulk-connections.server";
import { GENERATION_SORT_COLUMNS, generationIndexName } from "./sqlite-generation-rows";

/** The schema's whole-table sort indexes, which SQLite does without. */
export const INDEXES_SQLITE_DROPS: readonly string[] = GENERATION_SORT_COLUMNS.map((column) => `CustomerProfile_snapshotId_${column}_idx`);

const GENERATION_INDEX = /^CustomerProfile_g(\d+)_(\w+)$/;

function createSql(snapshotId: number, column: string): string {
  const id = Number(snapshotId);
  if (!Number.isSafeInteger(id)) throw new Error(`not a snapshot id: ${snapshotId}`);
  return `CREATE INDEX IF NOT EXISTS "${generationIndexName(id, column)}" ON "CustomerProfile"("snapshotId", "${column}") WHERE "snapshotId" = ${id}`;
}

/**
 * Builds the generation's sort indexes, each in its own transaction once the write lock is free:
 * a build scans the table and sorts the generation's entries, 0.3–0.5 s per index at 1M orders.
 */
export async function buildGenerationIndexes(db: Database.Database, snapshotId: number): Promise<void> {
  for (const column of GENERATION_SORT_COLUMNS) await whenSqliteWriteLockFree(db, () => db.exec(createSql(snapshotId, column)));
}

/**
 * Brings a database to this layout, and is a no-op on one already there (a read of the schema and
 * one key look-up per completed snapshot):
 * - every completed generation with profiles has its sort indexes (a database migrated before
 *   decision 050; a build after a switch that failed, decision 067; an index someone dropped);
 * - then the schema's whole-table sort indexes go (a migration may have created them again);
 * - the indexes of generations whose snapshot is gone go (a shop/redact deletes snapshots with
 *   their profiles and leaves their emptied indexes).
 * A generation being written has its snapshot row but is not completed: its own write builds its
 * indexes after its switch (a build racing this one finds them with IF NOT EXISTS). Run at server start and before each generation is written. Returns the indexes it
 * built and dropped.
 */
export async function ensureProfileIndexes(db: Database.Database): Promise<{ built: string[]; dropped: string[] }> {
  const names = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'CustomerProfile'`).pluck().all() as string[]);
  const snapshots = db.prepare(`SELECT "id", "completedAt" IS NOT NULL AS "completed" FROM "AnalysisSnapshot"`).raw(true).all() as [number, number][];
  const hasProfiles = db.prepare(`SELECT 1 FROM "CustomerProfile" WHERE "snapshotId" = ? LIMIT 1`).pluck();
  const built: string[] = [];
  const dropped: string[] = [];
  for (const [snapshotId, completed] of snapshots) {
    if (!completed || hasProfiles.get(snapshotId) === undefined) continue;
    for (const column of GENERATION_SORT_COLUMNS) {
      if (names.has(generationIndexName(snapshotId, column))) continue;
      await whenSqliteWriteLockFree(db, () => db.exec(createSql(snapshotId, column)));
      built.push(generationIndexName(snapshotId, column));
    }
  }
  const existing = new Set(snapshots.map(([id]) => id));
  const stale = [...names].filter((name) => {
    const match = GENERATION_INDEX.exec(name);
    return match ? !existing.has(Number(match[1])) : INDEXES_SQLITE_DROPS.includes(name);
  });
  for (const name of stale) {
    await whenSqliteWriteLockFree(db, () => db.exec(`DROP INDEX IF EXISTS "${name}"`));
    dropped.push(name);
  }
  return { built, dropped };
}
