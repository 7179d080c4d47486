/**
 * A progress bar's value: `done` of `total` in whole percents, at most 100 (null without a
 * total). Whole, because Polaris's ProgressBar reads its hidden label out as given
 * ("24.565120428189115%").
 */
export function progressPercent(done: number, total: number | null | undefined): number | null {
  return total ? Math.min(100, Math.round((done / total) * 100)) : null;
}
