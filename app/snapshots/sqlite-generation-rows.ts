/**
 * One generation of profiles on SQLite, by its snapshot id: the names of its own sort indexes
 * (docs/decisions/050) and its deletion. No imports: the recompute's worker thread deletes
 * generations too (decision 052).
 */

/** The schema's sort indexes on CustomerProfile (prisma/schema.prisma) that SQLite keeps per generation, by column. */
export const GENERATION_SORT_COLUMNS = ["predictedClv", "lastOrderAt", "pAlive", "totalSpent"] as const;

export const generationIndexName = (snapshotId: number, column: string) => `CustomerProfile_g${snapshotId}_${column}`;

/** The part of a better-sqlite3 connection this module uses. */
interface SqliteConnection {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown };
}

/**
 * Deletes a generation's profiles, inside the caller's transaction: its own sort indexes go
 * first, since deleting 275k rows from indexes about to be dropped anyway was most of a prune.
 */
export function deleteGenerationRows(db: SqliteConnection, snapshotId: number): void {
  const id = Number(snapshotId);
  if (!Number.isSafeInteger(id)) throw new Error(`not a snapshot id: ${snapshotId}`);
  for (const column of GENERATION_SORT_COLUMNS) db.exec(`DROP INDEX IF EXISTS "${generationIndexName(id, column)}"`);
  db.prepare(`DELETE FROM "CustomerProfile" WHERE "snapshotId" = ?`).run(id);
}
