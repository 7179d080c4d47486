/**
 * Seconds the import still needs at the pace it has kept so far, or null while that pace says
 * nothing yet (no total, nothing done, under two seconds in) — no made-up estimate.
 */
export function importSecondsLeft(done: number, total: number | null, startedAt: Date | null, now: Date): number | null {
  if (total === null || startedAt === null || done <= 0) return null;
  const elapsed = (now.getTime() - startedAt.getTime()) / 1000;
  if (elapsed < 2) return null;
  if (done >= total) return 0;
  return Math.ceil(((total - done) * elapsed) / done);
}
