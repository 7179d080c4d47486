/**
 * Builds an admin UI extension's module the way Shopify CLI's `shopify app build` does (esbuild,
 * one ES module, Preact's automatic JSX runtime), for the simulator's customer page and for CI.
 *
 *   npx tsx tools/shopify-sim/extension-bundle.ts   # builds extensions/customer-card, checks the size limit
 *
 * Shopify refuses to deploy an extension on API 2025-10+ whose bundle is over 64 KB compressed
 * (shopify.dev/docs/apps/build/admin/optimize-bundle-size); the CLI run fails the same way.
 */
import { build, type BuildOptions } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CUSTOMER_CARD_DIR = path.join(REPO_ROOT, "extensions/customer-card");
/** The module of the extension's one target (shopify.extension.toml `module`). */
export const CUSTOMER_CARD_ENTRY = path.join(CUSTOMER_CARD_DIR, "src/CustomerCardBlock.tsx");
export const BUNDLE_LIMIT_BYTES = 64 * 1024;

const SHARED: BuildOptions = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  write: false,
  logLevel: "silent",
};

/** Bundles a browser entry (the extension, or the simulator's host script) into one ES module. */
export async function bundleModule(entry: string, options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({ ...SHARED, entryPoints: [entry], minify: options.minify ?? true });
  return result.outputFiles![0].text;
}

/** Builds the customer card; throws when its compressed size is over Shopify's limit. */
export async function buildCustomerCard(): Promise<{ code: string; bytes: number; gzipBytes: number }> {
  const code = await bundleModule(CUSTOMER_CARD_ENTRY);
  const bytes = Buffer.byteLength(code);
  const gzipBytes = gzipSync(code).length;
  if (gzipBytes > BUNDLE_LIMIT_BYTES) {
    throw new Error(`extensions/customer-card: ${gzipBytes} bytes compressed, over Shopify's ${BUNDLE_LIMIT_BYTES}-byte limit`);
  }
  return { code, bytes, gzipBytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { code, bytes, gzipBytes } = await buildCustomerCard();
  const out = path.join(REPO_ROOT, ".cache/extensions/customer-card.js");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`extensions/customer-card: ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB compressed (limit 64 KB) → ${path.relative(REPO_ROOT, out)}`);
}
