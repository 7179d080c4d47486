import { startSyncWorker, stopSyncWorker } from "~/services/sync.server";

// The web server also runs the sync worker (backfill, webhook apply, recompute, reconcile),
// as ARCHITECTURE.md intends: one process on SQLite; on PostgreSQL every instance takes a
// share of the jobs through pg-boss. SYNC_WORKER=off runs a web-only instance.
if (process.env.SYNC_WORKER !== "off") {
  await startSyncWorker();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void stopSyncWorker().finally(() => process.exit(0));
    });
  }
}
