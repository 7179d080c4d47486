/**
 * Prisma's schema engine, run as WebAssembly (@prisma/schema-engine-wasm) over our driver
 * adapters. The Prisma CLI would download a native engine binary, which these machines
 * cannot reach; the wasm engine keeps `_prisma_migrations` in Prisma's own format, so a
 * deployment can switch to `prisma migrate deploy` later without a baseline.
 * See docs/decisions/002-offline-migrations.md.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine, MigrationList } from "@prisma/schema-engine-wasm";
import type { DatabaseConfig } from "../../app/db/database-url";
import { createDriverAdapterFactory } from "../../app/db/driver-adapter.server";

const require = createRequire(import.meta.url);

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

export const DIALECTS = {
  sqlite: {
    schemaPath: path.join(ROOT, "prisma/schema.prisma"),
    migrationsDir: path.join(ROOT, "prisma/migrations"),
    lockProvider: "sqlite",
  },
  postgresql: {
    schemaPath: path.join(ROOT, "prisma/postgresql/schema.prisma"),
    migrationsDir: path.join(ROOT, "prisma/postgresql/migrations"),
    lockProvider: "postgresql",
  },
} as const;

export type Dialect = keyof typeof DIALECTS;

let wasmReady: Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")> | undefined;

function loadWasm() {
  wasmReady ??= (async () => {
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const module = await WebAssembly.compile(fs.readFileSync(wasmPath));
    const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return wasmReady;
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes every connection it opened (else SQLite stays locked). */
  close(): Promise<void>;
}

export async function openSchemaEngine(config: DatabaseConfig): Promise<OpenSchemaEngine> {
  const bg = await loadWasm();
  const { schemaPath } = DIALECTS[config.dialect];
  const datamodel = fs.readFileSync(schemaPath, "utf8");
  const factory = createDriverAdapterFactory(config);
  const opened: { dispose(): Promise<void> }[] = [];
  const tracking = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracking as typeof factory),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => undefined)));
    },
  };
}

/** The migrations folder in the shape the engine expects. */
export function readMigrationsList(dialect: Dialect): MigrationList {
  const { migrationsDir, lockProvider } = DIALECTS[dialect];
  const names = fs.existsSync(migrationsDir)
    ? fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: lockPath,
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : `provider = "${lockProvider}"\n`,
    },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file) ? { tag: "ok", value: fs.readFileSync(file, "utf8") } : { tag: "error", value: `missing ${file}` },
        },
      };
    }),
  } as MigrationList;
}

export const NO_FILTER = { externalTables: [], externalEnums: [] };
