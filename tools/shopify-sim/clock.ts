/**
 * Injectable time source for the simulator. Every "now" the simulator uses (token expiry,
 * leaky-bucket refill, webhook retry schedules, bulk-operation progress, live mode) comes from a
 * {@link SimClock}, so tests can advance time by hand and demos can compress hours into seconds.
 */
export interface SimClock {
  /** Current simulated time in epoch milliseconds. */
  now(): number;
  /**
   * Runs `callback` after `delayMs` of simulated time. Returns a cancel function. A manual clock
   * awaits a returned promise before moving on, so work started by a callback (an HTTP delivery
   * and the retry it schedules) happens inside the same `advance`.
   */
  schedule(delayMs: number, callback: () => void | Promise<unknown>): () => void;
}

interface PendingTimer {
  dueAt: number;
  seq: number;
  callback: () => void | Promise<unknown>;
}

/** A clock that only moves when {@link ManualClock.advance} is called (for tests). */
export interface ManualClock extends SimClock {
  /** Moves time forward by `ms`, running due callbacks in time order (and awaiting microtasks between them). */
  advance(ms: number): Promise<void>;
  /** Sets the time directly (must not go backwards). */
  set(epochMs: number): Promise<void>;
  /** Number of scheduled callbacks not yet run. */
  pendingCount(): number;
}

/**
 * Creates a hand-driven clock. Callbacks run inside `advance`, in order of due time, so a test can
 * say "four hours later" and observe every webhook retry that happened meanwhile.
 */
export function createManualClock(startEpochMs: number): ManualClock {
  let current = startEpochMs;
  let seq = 0;
  let timers: PendingTimer[] = [];
  const runDue = async (until: number) => {
    for (;;) {
      timers.sort((x, y) => x.dueAt - y.dueAt || x.seq - y.seq);
      const next = timers[0];
      if (!next || next.dueAt > until) break;
      timers.shift();
      current = Math.max(current, next.dueAt);
      await next.callback();
      // Let promise chains started by the callback progress.
      await new Promise((resolve) => setImmediate(resolve));
    }
    current = until;
  };
  return {
    now: () => current,
    schedule(delayMs, callback) {
      const timer = { dueAt: current + Math.max(0, delayMs), seq: seq++, callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance: (ms) => runDue(current + ms),
    async set(epochMs) {
      if (epochMs < current) throw new Error(`ManualClock.set: cannot go back from ${current} to ${epochMs}`);
      await runDue(epochMs);
    },
    pendingCount: () => timers.length,
  };
}

/**
 * Real time, optionally compressed: with `compression` 60, one real second is one simulated
 * minute, so Shopify's 4-hour webhook retry schedule plays out in 4 real minutes.
 */
export function createSystemClock(options: { compression?: number; startEpochMs?: number } = {}): SimClock {
  const compression = options.compression ?? 1;
  if (!(compression > 0)) throw new Error(`clock compression must be > 0, got ${compression}`);
  const realStart = Date.now();
  const simStart = options.startEpochMs ?? realStart;
  return {
    now: () => simStart + (Date.now() - realStart) * compression,
    schedule(delayMs, callback) {
      const handle = setTimeout(() => void callback(), Math.max(0, delayMs) / compression);
      handle.unref?.();
      return () => clearTimeout(handle);
    },
  };
}
