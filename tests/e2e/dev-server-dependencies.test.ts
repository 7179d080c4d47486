/**
 * The demo's dev server (`bash scripts/start.sh`, README quick start) on a fresh clone: Vite
 * bundles the app's dependencies for the browser before it serves the first page. A dependency
 * it only discovers while serving that page is bundled in a second pass; the page then holds two
 * copies of React ("Invalid hook call") and the embedded app stayed blank until a manual reload.
 * So every module the browser loads must find its dependencies already bundled
 * (vite.config.ts `optimizeDeps.include`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("the dev server on a fresh clone", () => {
  let server: ViteDevServer | undefined;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-vite-cache-"));
  afterAll(async () => {
    await server?.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }, 60_000);

  it("has every dependency of the root and each route bundled before the first page, none discovered while serving it", async () => {
    server = await createServer({
      root: ROOT,
      configFile: path.join(ROOT, "vite.config.ts"),
      cacheDir,
      logLevel: "silent",
      server: { middlewareMode: true, hmr: false, ws: false },
    });
    const client = server.environments.client;
    const optimizer = client.depsOptimizer;
    if (!optimizer) throw new Error("the client environment has no dependency optimizer");
    await optimizer.init();
    await optimizer.scanProcessing;
    // The bundling before the first page: what `include` names and the import scan finds.
    const settled = async () => {
      const deadline = Date.now() + 120_000;
      while (Object.keys(optimizer.metadata.discovered).length > 0 || Object.keys(optimizer.metadata.optimized).length === 0) {
        if (Date.now() > deadline) throw new Error("the dependency optimizer did not settle within 2 minutes");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return Object.keys(optimizer.metadata.optimized).sort();
    };
    const bundled = await settled();
    expect(bundled).toContain("react");
    expect(bundled).toContain("@shopify/polaris");
    const modules = [
      "app/root.tsx",
      ...fs
        .readdirSync(path.join(ROOT, "app/routes"))
        .filter((file) => file.endsWith(".tsx") && !file.includes(".test."))
        .map((file) => `app/routes/${file}`),
    ];
    for (const module of modules) await client.transformRequest(`/${module}`);
    expect(Object.keys(optimizer.metadata.discovered)).toEqual([]);
    expect(await settled()).toEqual(bundled);
  }, 180_000);
});
