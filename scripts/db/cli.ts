/**
 * Database tool: `npm run db -- <command>`.
 *
 *   schema     write prisma/postgresql/schema.prisma from prisma/schema.prisma (the source)
 *   generate   generate the Prisma clients for both dialects into app/generated/prisma
 *   migrate    apply pending migrations to DATABASE_URL (SQLite by default)
 *   new NAME   turn a schema change into a new migration for both dialects
 *   check      fail when the PostgreSQL schema or either migrations folder lags the schema
 *
 * Every command runs offline: migrations go through the wasm schema engine (schema-engine.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { parseDatabaseUrl, redactUrl, type DatabaseConfig } from "../../app/db/database-url";
import { DIALECTS, NO_FILTER, ROOT, openSchemaEngine, readMigrationsList, type Dialect } from "./schema-engine";

const HEADER = "// GENERATED from prisma/schema.prisma by `npm run db -- schema`. Do not edit: edit the source.\n";

export function postgresqlSchemaFrom(sqliteSchema: string): string {
  const out = sqliteSchema
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output\s*=\s*"\.\.\/app\/generated\/prisma\/sqlite"/, 'output   = "../../app/generated/prisma/postgresql"');
  if (out === sqliteSchema) throw new Error("prisma/schema.prisma: could not find the sqlite provider/output lines to rewrite");
  return HEADER + out;
}

function writeSchema(): boolean {
  const source = fs.readFileSync(DIALECTS.sqlite.schemaPath, "utf8");
  const target = postgresqlSchemaFrom(source);
  const current = fs.existsSync(DIALECTS.postgresql.schemaPath) ? fs.readFileSync(DIALECTS.postgresql.schemaPath, "utf8") : "";
  if (current === target) return false;
  fs.mkdirSync(path.dirname(DIALECTS.postgresql.schemaPath), { recursive: true });
  fs.writeFileSync(DIALECTS.postgresql.schemaPath, target);
  return true;
}

function generate() {
  writeSchema();
  for (const dialect of Object.keys(DIALECTS) as Dialect[]) {
    // `prisma generate` only checks that a schema engine binary exists; it does not run it.
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate", "--schema", DIALECTS[dialect].schemaPath],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
        encoding: "utf8",
      },
    );
    if (result.status !== 0) throw new Error(`prisma generate (${dialect}) failed:\n${result.stderr || result.stdout}`);
  }
}

/**
 * The PostgreSQL schema as of its newest migration. The wasm engine cannot describe a live
 * PostgreSQL database through @prisma/adapter-pg 7.10 (catalog columns of type "char" are
 * rejected), so PostgreSQL migrations are diffed datamodel to datamodel from this snapshot,
 * and tests/db proves them by applying them to an empty database and round-tripping every model.
 */
const PG_SNAPSHOT = path.join(ROOT, "prisma/postgresql/schema.migrated.prisma");

function schemaFiles(file: string) {
  return [{ path: file, content: fs.readFileSync(file, "utf8") }];
}

/** SQL that brings the migrations folder to the schema ('' when in step). */
async function pendingSql(dialect: Dialect): Promise<string> {
  const scratch = path.join(ROOT, ".cache", `diff-${process.pid}.sqlite`);
  fs.mkdirSync(path.dirname(scratch), { recursive: true });
  fs.rmSync(scratch, { force: true });
  // The engine needs a connection even for datamodel diffs (PostgreSQL: any reachable server).
  const { engine, close } = await openSchemaEngine(
    dialect === "sqlite" ? { dialect, url: `file:${scratch}`, filePath: scratch } : parseDatabaseUrl(process.env.MIGRATION_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres"),
  );
  try {
    // SQLite: the real check — apply the migrations to an empty file, then compare that
    // database with the schema.
    if (dialect === "sqlite") await engine.applyMigrations({ migrationsList: readMigrationsList(dialect), filters: NO_FILTER });
    const result = await engine.diff({
      from:
        dialect === "sqlite"
          ? { tag: "schemaDatasource", files: schemaFiles(DIALECTS.sqlite.schemaPath), configDir: ROOT }
          : fs.existsSync(PG_SNAPSHOT)
            ? { tag: "schemaDatamodel", files: schemaFiles(PG_SNAPSHOT) }
            : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: schemaFiles(DIALECTS[dialect].schemaPath) },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const sql = (result.stdout ?? "").trim();
    return /^-- This is an empty migration\.?$/.test(sql) ? "" : sql;
  } finally {
    await close();
    fs.rmSync(scratch, { force: true });
  }
}

async function newMigration(name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: use lowercase letters, digits and _ (e.g. add_segment_rules)");
  writeSchema();
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  let wrote = 0;
  for (const dialect of Object.keys(DIALECTS) as Dialect[]) {
    const sql = await pendingSql(dialect);
    if (!sql) continue;
    const { migrationsDir, lockProvider } = DIALECTS[dialect];
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
    const lock = path.join(migrationsDir, "migration_lock.toml");
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, `# Written by npm run db -- new\nprovider = "${lockProvider}"\n`);
    if (dialect === "postgresql") fs.copyFileSync(DIALECTS.postgresql.schemaPath, PG_SNAPSHOT);
    console.log(`${dialect}: wrote ${path.relative(ROOT, dir)}/migration.sql`);
    wrote++;
  }
  if (!wrote) console.log("The migrations are already in step with prisma/schema.prisma; nothing written.");
}

async function check(): Promise<boolean> {
  let ok = true;
  const source = fs.readFileSync(DIALECTS.sqlite.schemaPath, "utf8");
  const pg = fs.existsSync(DIALECTS.postgresql.schemaPath) ? fs.readFileSync(DIALECTS.postgresql.schemaPath, "utf8") : "";
  if (pg !== postgresqlSchemaFrom(source)) {
    console.error("prisma/postgresql/schema.prisma is not generated from prisma/schema.prisma: run `npm run db -- new <name>`");
    ok = false;
  }
  for (const dialect of Object.keys(DIALECTS) as Dialect[]) {
    const sql = await pendingSql(dialect);
    if (sql) {
      console.error(`${dialect} migrations lag prisma/schema.prisma: run \`npm run db -- new <name>\`. Missing:\n${sql}`);
      ok = false;
    } else console.log(`${dialect}: migrations in step with the schema`);
  }
  return ok;
}

/** Applies pending migrations; `before` (tests of a data migration) stops at the first migration whose name is not below it. */
export async function migrate(config: DatabaseConfig, options: { before?: string } = {}): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(config);
  try {
    const all = readMigrationsList(config.dialect);
    const migrationsList = options.before ? { ...all, migrationDirectories: all.migrationDirectories.filter((m) => m.path < options.before!) } : all;
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  } finally {
    await close();
  }
}

async function main(argv: string[]) {
  const [command, arg] = argv;
  switch (command) {
    case "schema":
      console.log(writeSchema() ? "wrote prisma/postgresql/schema.prisma" : "prisma/postgresql/schema.prisma is up to date");
      return 0;
    case "generate":
      generate();
      console.log("generated Prisma clients (sqlite, postgresql) in app/generated/prisma");
      return 0;
    case "migrate": {
      const config = parseDatabaseUrl(process.env.DATABASE_URL);
      const applied = await migrate(config);
      console.log(`${config.dialect} ${redactUrl(config.url)}: ${applied.length ? `applied ${applied.join(", ")}` : "no pending migrations"}`);
      return 0;
    }
    case "new":
      if (!arg) throw new Error("usage: npm run db -- new <name>");
      await newMigration(arg);
      return 0;
    case "check":
      return (await check()) ? 0 : 1;
    default:
      console.error("usage: npm run db -- schema|generate|migrate|new <name>|check");
      return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`db: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
