import { configureSyncEngine, startSyncWorker, stopSyncWorker } from "~/services/sync.server";
import { closeWebhookIntake } from "~/services/webhooks.server";
import { prisma } from "~/db.server";
import { withShopLock } from "~/db/shop-lock.server";
import { unauthenticated } from "~/shopify.server";
import { NoOfflineAccessError, OfflineTokenRefreshFailedError } from "~/jobs/access-renewal";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { createShutdown } from "~/shutdown.server";

declare global {
  // Vite re-evaluates modules in development; the worker must start once per process.
  var syncWorkerBooted: boolean | undefined;
  var shutdownInstalled: boolean | undefined;
}

// The web server also runs the sync worker (backfill, webhook apply, recompute, reconcile),
// as ARCHITECTURE.md intends: one process on SQLite; on PostgreSQL every instance takes a
// share of the jobs through pg-boss. SYNC_WORKER=off runs a web-only instance.
if (process.env.SYNC_WORKER !== "off" && !globalThis.syncWorkerBooted) {
  globalThis.syncWorkerBooted = true;
  // Jobs get tokens through shopify-app-remix, which refreshes expiring offline tokens. One
  // refresh per shop at a time across every instance: the refresh token rotates on use.
  configureSyncEngine({
    accessToken: (shop) =>
      withShopLock(prisma, "offline-token", shop, async () => {
        const { session } = await unauthenticated.admin(shop).catch((error: unknown) => {
          // None stored (or forgotten after Shopify refused it): the next app open renews it.
          if (error instanceof SessionNotFoundError) throw new NoOfflineAccessError(shop);
          // A failed refresh of an expired token comes as a thrown HTTP 500 response.
          if (error instanceof Response) throw new OfflineTokenRefreshFailedError(shop);
          throw error;
        });
        if (!session.accessToken) throw new NoOfflineAccessError(shop);
        return session.accessToken;
      }),
  });
  await startSyncWorker();
}

// Every instance, web-only ones too: stop taking jobs, hand back running ones, let requests
// finish, close the pools (app/shutdown.server.ts).
if (!globalThis.shutdownInstalled) {
  globalThis.shutdownInstalled = true;
  const shutdown = createShutdown({
    stopWorker: stopSyncWorker,
    closePools: async () => {
      await Promise.allSettled([closeWebhookIntake(), prisma.$disconnect()]);
    },
    graceMs: Number(process.env.SHUTDOWN_GRACE_MS ?? (process.env.NODE_ENV === "production" ? 5_000 : 0)),
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void shutdown(signal));
}
