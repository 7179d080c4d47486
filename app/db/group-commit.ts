/**
 * Group commit: callers submit one item each; up to `maxInFlight` writes run at a time, and
 * items that arrive while all of them are busy wait and go together in the next write.
 *
 * At low traffic every item is written at once, alone (no added latency); under a burst, many
 * items share one statement and one commit, so throughput is no longer bounded by the
 * database's per-commit flush. Every caller's promise settles only after the write that
 * holds its item has committed — acknowledging earlier would lose durability.
 */
export function groupCommit<Item, Result>(
  write: (items: Item[]) => Promise<Result[]>,
  { maxInFlight, maxBatch }: { maxInFlight: number; maxBatch: number },
): (item: Item) => Promise<Result> {
  const waiting: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      inFlight++;
      write(batch.map((entry) => entry.item))
        .then(
          (results) => {
            if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
            batch.forEach((entry, i) => entry.resolve(results[i]));
          },
        )
        .catch((error: unknown) => batch.forEach((entry) => entry.reject(error)))
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      pump();
    });
}
