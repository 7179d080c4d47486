import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../tests/db/test-database";

describe("SQLite connection settings", () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it("a freshly migrated database file is in WAL mode, seen from an unrelated connection", async () => {
    db = await createTestDatabase("sqlite");
    if (db.config.dialect !== "sqlite") throw new Error("expected SQLite");
    // journal_mode=WAL is persistent: a plain better-sqlite3 connection that sets nothing sees it.
    const other = new Database(db.config.filePath, { readonly: true });
    try {
      expect(other.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      other.close();
    }
  });

  it("the app's Prisma connection commits with synchronous=NORMAL and waits for locks", async () => {
    db = await createTestDatabase("sqlite");
    // SQLite's codes: synchronous NORMAL = 1 (FULL, the default, = 2).
    const [sync] = (await db.prisma.$queryRawUnsafe("PRAGMA synchronous")) as { synchronous: bigint | number }[];
    expect(Number(sync.synchronous)).toBe(1);
    const [mode] = (await db.prisma.$queryRawUnsafe("PRAGMA journal_mode")) as { journal_mode: string }[];
    expect(mode.journal_mode).toBe("wal");
    const [busy] = (await db.prisma.$queryRawUnsafe("PRAGMA busy_timeout")) as Record<string, bigint | number>[];
    expect(Number(Object.values(busy)[0])).toBeGreaterThanOrEqual(5_000);
  });

  it("the app's Prisma connection reads the file through a memory map (a 1M-order store is 1.7 GB)", async () => {
    db = await createTestDatabase("sqlite");
    // SQLite cuts the setting to its compile-time ceiling (2 GiB less 64 KiB by default); 0 is its default (no map).
    const [mmap] = (await db.prisma.$queryRawUnsafe("PRAGMA mmap_size")) as Record<string, bigint | number>[];
    expect(Number(Object.values(mmap)[0])).toBeGreaterThanOrEqual(2 ** 31 - 2 ** 16);
  });
});

describe.each(TEST_DIALECTS.filter((d) => d === "postgresql"))("PostgreSQL connection settings (%s)", (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it("the app's Prisma connections run without JIT compilation", async () => {
    db = await createTestDatabase(dialect);
    const rows = await Promise.all([1, 2, 3].map(() => db!.prisma.$queryRawUnsafe<{ jit: string }[]>("SHOW jit")));
    expect(rows.map(([r]) => r.jit)).toEqual(["off", "off", "off"]);
  });

  it("the app's Prisma connections plan no parallel workers (decision 059)", async () => {
    db = await createTestDatabase(dialect);
    const rows = await Promise.all([1, 2, 3].map(() => db!.prisma.$queryRawUnsafe<{ max_parallel_workers_per_gather: string }[]>("SHOW max_parallel_workers_per_gather")));
    expect(rows.map(([r]) => r.max_parallel_workers_per_gather)).toEqual(["0", "0", "0"]);
    // A scan PostgreSQL would split between workers (a parallel plan's Gather node) stays in one backend.
    await db.prisma.$executeRawUnsafe(`CREATE TABLE parallel_probe AS SELECT g AS n FROM generate_series(1, 1000000) g`);
    await db.prisma.$executeRawUnsafe(`ANALYZE parallel_probe`);
    const plan = await db.prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN SELECT COUNT(*) FROM parallel_probe WHERE n % 7 = 0`);
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).not.toMatch(/Gather/);
  });
});
