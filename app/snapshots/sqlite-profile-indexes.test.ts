import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/db/test-database";
import { GENERATION_SORT_COLUMNS } from "./sqlite-generation-rows";
import { INDEXES_SQLITE_DROPS } from "./sqlite-profile-indexes";

describe("the profile's sort indexes SQLite keeps per generation (decision 050)", () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it("are the migrations' (snapshotId, column) indexes of CustomerProfile, column by column", async () => {
    db = await createTestDatabase("sqlite");
    if (db.config.dialect !== "sqlite") throw new Error("expected SQLite");
    const connection = new Database(db.config.filePath, { readonly: true });
    try {
      const declared = connection
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'CustomerProfile' AND sql LIKE '%("snapshotId", %'`)
        .all() as { name: string; sql: string }[];
      // Every index led by the snapshot id (the primary key is not in sqlite_master.sql) is a sort index.
      expect(declared.map((index) => index.name).sort()).toEqual([...INDEXES_SQLITE_DROPS].sort());
      for (const column of GENERATION_SORT_COLUMNS) {
        expect(declared.find((index) => index.name === `CustomerProfile_snapshotId_${column}_idx`)?.sql).toBe(
          `CREATE INDEX "CustomerProfile_snapshotId_${column}_idx" ON "CustomerProfile"("snapshotId", "${column}")`,
        );
      }
    } finally {
      connection.close();
    }
  });
});
