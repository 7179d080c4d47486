/**
 * Shopify's GraphQL Admin rate limit: a leaky bucket of cost points per app and shop.
 * Standard plans hold 2,000 points restoring 100/s; Plus 20,000 restoring 1,000/s
 * (observed `maximumAvailable` = 20 × restore rate). A request needs its requested cost
 * available up front; the difference to the actual cost is refunded afterwards.
 * @see https://shopify.dev/docs/api/usage/rate-limits
 */
import type { SimClock } from "./clock.ts";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  private available: number;
  private lastRefill: number;
  private readonly clock: SimClock;

  constructor(maximumAvailable: number, restoreRatePerSecond: number, clock: SimClock) {
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRatePerSecond;
    this.available = maximumAvailable;
    this.clock = clock;
    this.lastRefill = clock.now();
  }

  private refill() {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.lastRefill) / 1000;
    this.available = Math.min(this.maximumAvailable, this.available + elapsedSeconds * this.restoreRate);
    this.lastRefill = now;
  }

  /** Takes `cost` points if available; returns false (taking nothing) when the request must be throttled. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Returns unused points (requested − actual) after a request ran. */
  refund(points: number) {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, points));
  }

  /** Empties the bucket now (tests: another app client spent it), so the next requests are throttled. */
  drain() {
    this.refill();
    this.available = 0;
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
