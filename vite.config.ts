import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type UserConfigFnObject } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { PARSE_WORKER_BUNDLE } from "./app/sync/bulk/parse-thread-protocol";
import { LINE_READER_BUNDLE } from "./app/snapshots/line-reader/line-reader-protocol";

// The Shopify CLI passes the tunnel URL as HOST; the app reads it as SHOPIFY_APP_URL.
if (process.env.HOST && (!process.env.SHOPIFY_APP_URL || process.env.SHOPIFY_APP_URL === process.env.HOST)) {
  process.env.SHOPIFY_APP_URL = process.env.HOST;
  delete process.env.HOST;
}

const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;

// HMR over the CLI's tunnel needs the public port 443; on localhost a fixed local port.
const hmrConfig =
  host === "localhost" || host === "127.0.0.1"
    ? { protocol: "ws", host, port: 64999, clientPort: 64999 }
    : { protocol: "wss", host, port: Number(process.env.FRONTEND_PORT) || 8002, clientPort: 443 };

/**
 * One CSS target for both builds, the client's default. The server build names the stylesheets
 * it links by a hash of their minified text; with node22's target it minified Polaris' CSS
 * differently (`inset: 0` for top/right/bottom/left), so the server's page linked another file
 * than the browser's (a hydration mismatch) and the build shipped two copies of it.
 */
const CSS_TARGET = ["es2020", "edge88", "firefox78", "chrome87", "safari14"];

export default defineConfig(({ isSsrBuild }) => ({
  server: {
    allowedHosts: [host],
    cors: { preflightContinue: true },
    port: Number(process.env.PORT || 3000),
    hmr: hmrConfig,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
        // App Bridge's fetch patching and shopify-app-remix's boundary helpers expect the
        // classic data protocol (`?_data=`), as in Shopify's template.
        v3_singleFetch: false,
      },
    }),
    tsconfigPaths(),
    // The backfill's parse thread is a worker_threads entry: the server build emits it as its
    // own file next to index.js, where parallel-import.ts looks for it (decision 013).
    {
      name: "bulk-parse-worker",
      apply: (_config, env) => env.command === "build" && env.isSsrBuild === true,
      buildStart() {
        this.emitFile({ type: "chunk", id: "app/sync/bulk/parse-worker.ts", fileName: PARSE_WORKER_BUNDLE });
        // The recompute's line reader likewise (app/snapshots/line-reader/, decision 044).
        this.emitFile({ type: "chunk", id: "app/snapshots/line-reader/line-reader-worker.ts", fileName: LINE_READER_BUNDLE });
      },
    },
  ],
  build: {
    assetsInlineLimit: 0,
    cssTarget: CSS_TARGET,
    // The server build checks the database with a top-level await before it serves (boot-database.server.ts).
    ...(isSsrBuild ? { target: "node22" } : {}),
  },
  optimizeDeps: {
    // Every dependency Vite's import scan finds from the routes (the scan follows .server modules
    // too), bundled before the first page is served: found only during that first page load, they
    // were bundled again, the page got two copies of React ("Invalid hook call") and the embedded
    // app stayed blank on a fresh clone's first open until a manual reload.
    include: [
      "@shopify/app-bridge-react",
      "@shopify/polaris",
      "@shopify/polaris-viz",
      "@shopify/shopify-app-remix/react",
      "@shopify/shopify-app-remix/server",
      "@shopify/shopify-app-remix/adapters/node",
      "@shopify/shopify-api",
      "@shopify/shopify-api/runtime",
      "@remix-run/node",
      "@prisma/adapter-better-sqlite3",
      "@prisma/adapter-pg",
      "@prisma/client/runtime/client",
      "better-sqlite3",
      "graphql",
      "graphql-request",
      "pg",
      "pg-boss",
      "pg-copy-streams",
      "zod",
    ],
  },
})) satisfies UserConfigFnObject;
