/**
 * Everything the simulator keeps per shop besides the generated store: segments, bulk
 * operations, staged uploads, the rate-limit bucket and cached sort orders, plus the few
 * mutations the app performs (tags, customer updates) and the live mode's appends.
 */
import type { SimClock } from "./clock.ts";
import type { SortedRows, SortValue } from "./connection-pager.ts";
import { LeakyBucket } from "./leaky-bucket.ts";
import type { ShopStore } from "./store-model.ts";

export interface SegmentRecord {
  sequence: number;
  name: string;
  query: string;
  creationDate: number;
  lastEditDate: number;
}

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
export type BulkErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

export interface BulkOperationRecord {
  sequence: number;
  type: "QUERY" | "MUTATION";
  status: BulkStatus;
  query: string;
  createdAt: number;
  completedAt: number | null;
  errorCode: BulkErrorCode | null;
  objectCount: number;
  rootObjectCount: number;
  /** JSONL result file (a temporary file, so large exports do not sit in memory); null until written. */
  resultPath: string | null;
  fileSize: number;
  /** The result URL stops working after this time (Shopify: 7 days). */
  urlExpiresAt: number;
  partial: boolean;
  /** Root chunks of a bulk query written by the compiled path and by graphql-js (bulk-jsonl.ts). */
  chunks?: { compiled: number; graphqlJs: number };
}

export interface StagedUpload {
  key: string;
  content: string | null;
  createdAt: number;
}

/** Per-customer lists of order rows (CSR layout), rebuilt when orders are appended. */
export interface OrdersByCustomer {
  start: Int32Array;
  rows: Int32Array;
}

export const MAX_TAGS = 250;
export const MAX_TAG_LENGTH = 255;

export class ShopRuntime {
  readonly store: ShopStore;
  readonly clock: SimClock;
  readonly bucket: LeakyBucket;
  segments: SegmentRecord[] = [];
  bulkOperations: BulkOperationRecord[] = [];
  stagedUploads = new Map<string, StagedUpload>();
  /** Bumped when a customer's updatedAt changes (invalidates UPDATED_AT sorts). */
  customerVersion = 0;
  orderVersion = 0;
  /**
   * Called when a mutation changed a customer or an order (the simulator sends the
   * customers/update or orders/updated webhook Shopify would send).
   */
  onChange: ((kind: "customer" | "order", row: number) => void) | null = null;
  /**
   * Called when tagsAdd/tagsRemove changed a customer's tags: Shopify sends
   * customer.tags_added / customer.tags_removed with the tags that changed (SHOPIFY.md §0).
   */
  onCustomerTags: ((row: number, added: string[], removed: string[]) => void) | null = null;
  /** Customer rows deleted in Shopify (deleteCustomer): they resolve to nothing and cannot be tagged. */
  deletedCustomers = new Set<number>();
  /**
   * An injected Admin API outage: until `until` (real-time ms), GraphQL requests and bulk result
   * downloads answer HTTP `status` (Shopify answers 500/502/503 during incidents).
   */
  adminOutage: { status: number; until: number } | null = null;
  private sortCache = new Map<string, { version: number; rows: Int32Array }>();
  private byCustomer: { version: number; value: OrdersByCustomer } | null = null;

  constructor(store: ShopStore, clock: SimClock) {
    this.store = store;
    this.clock = clock;
    this.bucket = store.shop.plan === "plus" ? new LeakyBucket(20_000, 1_000, clock) : new LeakyBucket(2_000, 100, clock);
  }

  /** Rows sorted by (value, sequence); identity when the sort follows creation order. */
  sorted(cacheKey: string, count: number, version: number, valueOf: (row: number) => SortValue, identity: boolean): SortedRows {
    if (identity) return { length: count, rowAt: (pos) => pos, sortValue: valueOf };
    const cached = this.sortCache.get(cacheKey);
    let rows: Int32Array;
    if (cached && cached.version === version && cached.rows.length === count) {
      rows = cached.rows;
    } else {
      rows = new Int32Array(count);
      for (let i = 0; i < count; i++) rows[i] = i;
      rows.sort((x, y) => {
        const a = valueOf(x);
        const b = valueOf(y);
        return a < b ? -1 : a > b ? 1 : x - y;
      });
      this.sortCache.set(cacheKey, { version, rows });
    }
    return { length: count, rowAt: (pos) => rows[pos], sortValue: valueOf };
  }

  ordersByCustomer(): OrdersByCustomer {
    if (this.byCustomer && this.byCustomer.version === this.orderVersion) return this.byCustomer.value;
    const { orders, customers } = this.store;
    const start = new Int32Array(customers.count + 1);
    for (let i = 0; i < orders.count; i++) if (orders.customerIdx[i] >= 0) start[orders.customerIdx[i] + 1]++;
    for (let c = 0; c < customers.count; c++) start[c + 1] += start[c];
    const fill = start.slice(0, customers.count);
    const rows = new Int32Array(start[customers.count]);
    for (let i = 0; i < orders.count; i++) {
      const c = orders.customerIdx[i];
      if (c >= 0) rows[fill[c]++] = i;
    }
    const value = { start, rows };
    this.byCustomer = { version: this.orderVersion, value };
    return value;
  }

  /**
   * Marks a customer as updated now (as Shopify does on tag or profile changes) and, unless
   * `silent`, reports the change to {@link onChange}.
   */
  touchCustomer(c: number, silent = false) {
    this.store.customers.updatedAt[c] = Math.max(this.clock.now(), this.store.customers.updatedAt[c]);
    this.customerVersion++;
    this.store.version++;
    if (!silent) this.onChange?.("customer", c);
  }

  touchOrder(i: number, silent = false) {
    this.store.orders.updatedAt[i] = Math.max(this.clock.now(), this.store.orders.updatedAt[i]);
    this.orderVersion++;
    this.store.version++;
    if (!silent) this.onChange?.("order", i);
  }
}

/**
 * Adds tags case-insensitively (an existing tag in another case is kept as is), enforcing
 * Shopify's limits: at most 250 tags, each at most 255 characters.
 * Returns the new list or an error message naming the problem.
 */
export function addTags(existing: readonly string[], added: readonly string[]): { tags: string[] } | { error: string } {
  const result = [...existing];
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  for (const raw of added) {
    const tag = raw.trim();
    if (!tag) continue;
    if (tag.length > MAX_TAG_LENGTH) return { error: `Tag '${tag.slice(0, 20)}…' is too long (maximum is ${MAX_TAG_LENGTH} characters)` };
    if (seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    result.push(tag);
  }
  if (result.length > MAX_TAGS) return { error: `Tags cannot be more than ${MAX_TAGS}` };
  return { tags: result };
}

/** Removes tags case-insensitively. */
export function removeTags(existing: readonly string[], removed: readonly string[]): string[] {
  const drop = new Set(removed.map((t) => t.trim().toLowerCase()));
  return existing.filter((t) => !drop.has(t.toLowerCase()));
}

/**
 * Splits Shopify's tag input: each list entry may itself be a comma-separated string
 * ("a, b" → ["a", "b"]), as tagsAdd accepts.
 */
export function splitTagInput(tags: readonly string[]): string[] {
  return tags.flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);
}
