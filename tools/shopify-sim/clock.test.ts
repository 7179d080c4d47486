import { describe, expect, it } from "vitest";
import { createManualClock, createSystemClock } from "./clock.ts";

describe("createManualClock(start)", () => {
  it("runs scheduled callbacks in due order during advance, at their due time, including ones they schedule", async () => {
    const clock = createManualClock(1000);
    const log: string[] = [];
    clock.schedule(300, () => void log.push(`b@${clock.now()}`));
    clock.schedule(100, () => {
      log.push(`a@${clock.now()}`);
      clock.schedule(50, () => void log.push(`a2@${clock.now()}`));
    });
    const cancel = clock.schedule(200, () => void log.push("cancelled"));
    cancel();
    await clock.advance(250);
    expect(log).toEqual(["a@1100", "a2@1150"]);
    expect(clock.now()).toBe(1250);
    await clock.advance(100);
    expect(log).toEqual(["a@1100", "a2@1150", "b@1300"]);
    expect(clock.pendingCount()).toBe(0);
    await expect(clock.set(0)).rejects.toThrow(/cannot go back/);
  });
});

describe("createSystemClock({ compression })", () => {
  it("compresses time: 1 real ms is `compression` simulated ms", async () => {
    const clock = createSystemClock({ compression: 1000, startEpochMs: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.now()).toBeGreaterThanOrEqual(15_000);
    const fired = await new Promise<number>((resolve) => {
      const started = Date.now();
      clock.schedule(30_000, () => resolve(Date.now() - started)); // 30 simulated s = 30 real ms
    });
    expect(fired).toBeLessThan(1000);
    expect(() => createSystemClock({ compression: 0 })).toThrow(/compression/);
  });
});
