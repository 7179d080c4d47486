/**
 * Loads the real app modules (routes, services, shopify.server) against a fresh migrated
 * database, the way the server does: configuration comes from process.env at import time.
 * Each call resets the module registry, so one test file can run the app on SQLite and
 * then on PostgreSQL.
 */
import { Session } from "@shopify/shopify-app-remix/server";
import { vi } from "vitest";
import { createTestDatabase, type Dialect, type TestDatabase } from "../db/test-database";
import { TEST_API_KEY, TEST_API_SECRET } from "./session-token";

export const APP_URL = "https://customer-insights.test";

export interface AppUnderTest {
  /** A second client on the same database, for arranging rows and asserting on them. */
  db: TestDatabase;
  load<T>(modulePath: string): Promise<T>;
  /** Stores an offline session valid for an hour, as token exchange would have. */
  storeOfflineSession(shop: string): Promise<void>;
  close(): Promise<void>;
}

export async function startAppUnderTest(dialect: Dialect, options: { simulatorUrl?: string } = {}): Promise<AppUnderTest> {
  const db = await createTestDatabase(dialect);
  Object.assign(process.env, {
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: APP_URL,
    DATABASE_URL: db.config.url,
    SCOPES: "read_customers,write_customers,read_orders,read_all_orders,read_products",
  });
  if (options.simulatorUrl) process.env.SHOPIFY_SIMULATOR_URL = options.simulatorUrl;
  else delete process.env.SHOPIFY_SIMULATOR_URL;
  vi.resetModules();
  // db.server caches its client on globalThis outside production; start from this database.
  globalThis.prismaGlobal = undefined;

  const load = <T>(modulePath: string) => import(/* @vite-ignore */ modulePath) as Promise<T>;
  const shopify = (await load<typeof import("~/shopify.server")>("~/shopify.server")).default;

  return {
    db,
    load,
    async storeOfflineSession(shop) {
      await shopify.sessionStorage!.storeSession(
        new Session({
          id: `offline_${shop}`,
          shop,
          state: "",
          isOnline: false,
          scope: process.env.SCOPES,
          accessToken: "shpat_test_access_token",
          expires: new Date(Date.now() + 60 * 60 * 1000),
          refreshToken: "shprt_test_refresh_token",
          refreshTokenExpires: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000),
        }),
      );
    },
    async close() {
      const { prisma } = await load<typeof import("~/db.server")>("~/db.server");
      await prisma.$disconnect();
      await (await load<typeof import("~/db/bulk-connections.server")>("~/db/bulk-connections.server")).closeBulkConnections();
      globalThis.prismaGlobal = undefined;
      await db.drop();
    },
  };
}

/** Runs a loader or action and returns the Response it returned or threw (redirects, 401s). */
export async function responseOf(run: () => Promise<unknown>): Promise<Response | unknown> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
