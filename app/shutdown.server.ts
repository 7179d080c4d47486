/**
 * Graceful shutdown on SIGTERM/SIGINT (a deploy, a scale-down, Ctrl-C), in this order:
 * 1. the sync worker stops taking jobs; running jobs stop at their next step and are handed
 *    back to the queue (SQLite: released; pg-boss: re-queued), so another instance or the
 *    next start resumes them from their own progress;
 * 2. in-flight HTTP requests get `graceMs` to finish (remix-serve has stopped accepting new
 *    connections on the same signal);
 * 3. the database pools close (webhook intake, Prisma, pg-boss's), and the process exits 0.
 * A step that hangs is cut off after `timeoutMs` in all (exit 1), inside the 30 s that
 * container platforms usually wait before SIGKILL.
 */
import { logError, logInfo } from "./log.server";

export interface ShutdownSteps {
  stopWorker: () => Promise<void>;
  closePools: () => Promise<void>;
  graceMs?: number;
  timeoutMs?: number;
  exit?: (code: number) => void;
}

/** Runs the shutdown once, however many signals arrive. */
export function createShutdown(steps: ShutdownSteps): (signal: string) => Promise<void> {
  let running: Promise<void> | null = null;
  const exit = steps.exit ?? ((code: number) => process.exit(code));
  return (signal) => {
    running ??= (async () => {
      const started = Date.now();
      logInfo("shutdown.started", { signal });
      const timer = setTimeout(() => {
        logError("shutdown.timed-out", { afterMs: Date.now() - started });
        exit(1);
      }, steps.timeoutMs ?? 25_000);
      timer.unref?.();
      try {
        await steps.stopWorker();
        logInfo("shutdown.worker-stopped", { afterMs: Date.now() - started });
        await new Promise((resolve) => setTimeout(resolve, steps.graceMs ?? 5_000));
        await steps.closePools();
        logInfo("shutdown.finished", { afterMs: Date.now() - started });
        clearTimeout(timer);
        exit(0);
      } catch (error) {
        logError("shutdown.failed", { error: String((error as Error)?.message ?? error) });
        clearTimeout(timer);
        exit(1);
      }
    })();
    return running;
  };
}
