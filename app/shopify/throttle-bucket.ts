/**
 * A client-side model of Shopify's leaky bucket for the Admin GraphQL API (SHOPIFY.md §3):
 * every response reports `extensions.cost.throttleStatus = {maximumAvailable,
 * currentlyAvailable, restoreRate}`; points refill at `restoreRate` per second up to the
 * maximum. Before a request we estimate what is available now and wait until the request's
 * cost fits, so we are rarely THROTTLED at all.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class ThrottleBucket {
  private status: ThrottleStatus | null = null;
  private observedAt = 0;

  /** Records the status a response reported, observed at `nowMs`. */
  observe(status: ThrottleStatus, nowMs: number): void {
    this.status = { ...status };
    this.observedAt = nowMs;
  }

  /** Points estimated to be available at `nowMs` (Infinity before the first response). */
  availableAt(nowMs: number): number {
    if (!this.status) return Number.POSITIVE_INFINITY;
    const refilled = this.status.currentlyAvailable + (this.status.restoreRate * (nowMs - this.observedAt)) / 1000;
    return Math.min(this.status.maximumAvailable, refilled);
  }

  /**
   * Milliseconds to wait before a request of `cost` points fits the bucket:
   * `(cost − available) / restoreRate` seconds, 0 when it already fits.
   */
  waitMsFor(cost: number, nowMs: number): number {
    if (!this.status || this.status.restoreRate <= 0) return 0;
    const needed = Math.min(cost, this.status.maximumAvailable) - this.availableAt(nowMs);
    return needed <= 0 ? 0 : Math.ceil((needed / this.status.restoreRate) * 1000);
  }

  get last(): ThrottleStatus | null {
    return this.status ? { ...this.status } : null;
  }
}

/**
 * Page size for a paginated query so that one request costs at most a share of the bucket.
 * Shopify charges a connection roughly `2 + first × nodeCost` (SHOPIFY.md §3), a single query
 * may not request more than 1000 points, and a page holds at most 250 nodes.
 *
 * @param nodeCost cost of one node of the connection (1 for an object with scalar fields,
 *   more when it nests objects or connections).
 * @param status the last throttle status, if any; we aim for half the bucket so a second
 *   caller (webhook-triggered reads) still has room.
 */
export function pageSizeForCost(nodeCost: number, status: ThrottleStatus | null, overheadCost = 2): number {
  if (!(nodeCost > 0)) throw new RangeError(`nodeCost must be positive, got ${nodeCost}`);
  const budget = Math.min(1000, status ? status.maximumAvailable / 2 : 1000);
  const size = Math.floor((budget - overheadCost) / nodeCost);
  return Math.max(1, Math.min(250, size));
}
