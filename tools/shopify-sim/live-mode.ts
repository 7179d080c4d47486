/**
 * Live mode: keeps a running store busy — new orders from existing customers and customer
 * updates arrive as Poisson processes in simulated time, each followed by its webhook
 * (orders/create, customers/update) with the simulator's webhook faults. Live orders are placed
 * by uniformly chosen customers, outside the generator's BG/NBD process (they do not carry
 * ORDER_FLAG_PROCESS), so statistical checks should run before live mode starts.
 */
import { subtotalOfTotal } from "./order-pricing.ts";
import { createRandomSource } from "./random-source.ts";
import { restCustomer, restOrder, stringifyWithRawNumbers } from "./rest-payloads.ts";
import type { ShopRuntime } from "./shop-runtime.ts";
import { MARKETING_STATES, SALES_CHANNELS, cumulativeWeights } from "./store-catalog.ts";
import type { OrderColumns } from "./store-model.ts";
import type { ShopifySimulator } from "./simulator.ts";
import type { WebhookFaults } from "./webhook-sender.ts";

export interface LiveModeOptions {
  /** Shops to animate (names); default all. */
  shops?: string[];
  /** Mean new orders per simulated minute per shop. */
  ordersPerMinute?: number;
  /** Mean customer updates per simulated minute per shop. */
  customerUpdatesPerMinute?: number;
  seed?: number;
  /** Faults for live webhooks (defaults to the simulator's). */
  faults?: WebhookFaults;
}

function grow<T extends Int32Array | Float64Array | Uint8Array | Uint16Array>(old: T, length: number): T {
  if (old.length >= length) return old;
  const next = new (old.constructor as new (n: number) => T)(Math.max(length, Math.ceil(old.length * 1.5) + 16));
  next.set(old);
  return next;
}

/** Appends one order (with a single line item) to the store's columns; returns its row. */
export function appendOrder(runtime: ShopRuntime, customer: number, totalCents: number, productIdx: number, channelIdx: number): number {
  const o: OrderColumns = runtime.store.orders;
  const r = o.count;
  o.customerIdx = grow(o.customerIdx, r + 1);
  o.createdAt = grow(o.createdAt, r + 1);
  o.updatedAt = grow(o.updatedAt, r + 1);
  o.cancelledAt = grow(o.cancelledAt, r + 1);
  o.totalCents = grow(o.totalCents, r + 1);
  o.refundedCents = grow(o.refundedCents, r + 1);
  o.flags = grow(o.flags, r + 1);
  o.channelIdx = grow(o.channelIdx, r + 1);
  o.firstVisitSourceIdx = grow(o.firstVisitSourceIdx, r + 1);
  o.lineStart = grow(o.lineStart, r + 2);
  const line = o.lineStart[r];
  o.lineProductIdx = grow(o.lineProductIdx, line + 1);
  o.lineQuantity = grow(o.lineQuantity, line + 1);
  o.lineOriginalCents = grow(o.lineOriginalCents, line + 1);
  o.lineDiscountedCents = grow(o.lineDiscountedCents, line + 1);
  const now = runtime.clock.now();
  o.customerIdx[r] = customer;
  o.createdAt[r] = now;
  o.updatedAt[r] = now;
  o.cancelledAt[r] = NaN;
  o.totalCents[r] = totalCents;
  o.refundedCents[r] = 0;
  // Live orders come from random customers, not from the BG/NBD process: leave ORDER_FLAG_PROCESS unset.
  o.flags[r] = 0;
  o.channelIdx[r] = channelIdx;
  o.firstVisitSourceIdx[r] = 0;
  o.lineProductIdx[line] = productIdx;
  o.lineQuantity[line] = 1;
  const subtotal = subtotalOfTotal(runtime.store.shop.pricing, totalCents);
  o.lineOriginalCents[line] = subtotal;
  o.lineDiscountedCents[line] = subtotal;
  o.lineStart[r + 1] = line + 1;
  o.count = r + 1;
  const cu = runtime.store.customers;
  if (customer >= 0) {
    cu.numberOfOrders[customer]++;
    cu.amountSpentCents[customer] += totalCents;
    cu.lastOrderAt[customer] = now;
    cu.updatedAt[customer] = now;
    runtime.customerVersion++;
  }
  runtime.orderVersion++;
  runtime.store.version++;
  return r;
}

/** Starts live activity; returns a handle whose stop() cancels all future events. */
export function startLiveMode(sim: ShopifySimulator, options: LiveModeOptions = {}): { stop(): void } {
  const random = createRandomSource(options.seed ?? 4242);
  const names = options.shops ?? Object.keys(sim.shops);
  const ordersPerMs = (options.ordersPerMinute ?? 6) / 60_000;
  const updatesPerMs = (options.customerUpdatesPerMinute ?? 2) / 60_000;
  const channelWeights = cumulativeWeights(SALES_CHANNELS);
  const cancels: (() => void)[] = [];
  let stopped = false;

  for (const name of names) {
    const shop = sim.shops[name];
    if (!shop) throw new Error(`live mode: unknown shop "${name}"`);
    const runtime = shop.runtime;
    const store = runtime.store;
    const placeOrder = () => {
      if (stopped) return;
      if (store.customers.count > 0) {
        const customer = random.int(store.customers.count);
        const cents = Math.max(100, Math.round(random.gamma(6.25, 6.25 / 35) * 100));
        const row = appendOrder(runtime, customer, cents, random.int(store.products.length), random.weighted(channelWeights));
        sim.webhooks.send(shop.domain, "orders/create", stringifyWithRawNumbers(restOrder(store, row)), options.faults);
        sim.webhooks.send(shop.domain, "customers/update", stringifyWithRawNumbers(restCustomer(store, customer)), options.faults);
      }
      cancels.push(sim.clock.schedule(random.exponential(ordersPerMs), placeOrder));
    };
    const updateCustomer = () => {
      if (stopped) return;
      if (store.customers.count > 0) {
        const customer = random.int(store.customers.count);
        store.customers.marketingStateIdx[customer] = random.int(MARKETING_STATES.length);
        runtime.touchCustomer(customer, true); // the webhook below is sent with live-mode faults
        sim.webhooks.send(shop.domain, "customers/update", stringifyWithRawNumbers(restCustomer(store, customer)), options.faults);
      }
      cancels.push(sim.clock.schedule(random.exponential(updatesPerMs), updateCustomer));
    };
    if (ordersPerMs > 0) cancels.push(sim.clock.schedule(random.exponential(ordersPerMs), placeOrder));
    if (updatesPerMs > 0) cancels.push(sim.clock.schedule(random.exponential(updatesPerMs), updateCustomer));
  }
  return {
    stop() {
      stopped = true;
      for (const cancel of cancels) cancel();
    },
  };
}
