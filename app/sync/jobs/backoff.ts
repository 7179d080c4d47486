/** Retry delay for attempt n (1-based): exponential from `baseMs`, capped, with "equal jitter". */
export function retryDelayMs(attempt: number, random: () => number = Math.random, baseMs = 2_000, capMs = 15 * 60_000): number {
  const cap = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(cap / 2 + (random() * cap) / 2);
}
