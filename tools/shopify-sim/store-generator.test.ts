import { describe, expect, it } from "vitest";
import { atShopHour, DEFAULT_HISTORY_END, generateStore, HOURLY_ORDER_WEIGHTS, startOfUtcDay } from "./store-generator.ts";
import { createManualClock } from "./clock.ts";
import { createShopifySimulator } from "./simulator.ts";
import { bgNbdExpectedRepeatPurchases, bgNbdProbabilityOfRepeatPurchases, gammaGammaMeanSpend, logGamma } from "./bg-nbd-expectation.ts";
import { ORDER_FLAG_CANCELLED, ORDER_FLAG_PROCESS, ORDER_FLAG_TEST } from "./store-model.ts";
import { globalId, numericId, parseResourceId } from "./resource-ids.ts";

const FLAT = new Array(12).fill(1);
const DAY_MS = 86_400_000;

describe("bgNbdExpectedRepeatPurchases", () => {
  it("reduces to the NBD mean r·t/α when dropout is (almost) impossible", () => {
    // p ~ Beta(0.001, 1000) has mean 1e-6, so BG/NBD ≈ NBD, whose mean is r·t/α (Ehrenberg 1959).
    expect(bgNbdExpectedRepeatPurchases({ r: 2, alpha: 10, a: 0.001, b: 1000 }, 5)).toBeCloseTo(1.0, 3);
    expect(bgNbdExpectedRepeatPurchases({ r: 0.5, alpha: 4, a: 0.001, b: 1000 }, 20)).toBeCloseTo(2.5, 2);
  });

  it("agrees with the probability mass function: Σ P(X=x) = 1 and Σ x·P(X=x) = E[X(t)]", () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    let total = 0;
    let mean = 0;
    for (let x = 0; x < 400; x++) {
      const p = bgNbdProbabilityOfRepeatPurchases(params, 39, x);
      total += p;
      mean += x * p;
    }
    expect(total).toBeCloseTo(1, 6);
    expect(mean).toBeCloseTo(bgNbdExpectedRepeatPurchases(params, 39), 4);
  });

  it("logGamma matches ln Γ(1/2) = ln √π, ln Γ(10) = ln 9! and the recurrence Γ(z+1) = zΓ(z)", () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    // Recurrence Γ(z+1) = z·Γ(z), across the reflection branch at z < 0.5.
    expect(logGamma(1.243) - logGamma(0.243)).toBeCloseTo(Math.log(0.243), 12);
  });

  it("is 0 at t = 0 and grows with t", () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(bgNbdExpectedRepeatPurchases(params, 0)).toBe(0);
    expect(bgNbdExpectedRepeatPurchases(params, 78)).toBeGreaterThan(bgNbdExpectedRepeatPurchases(params, 39));
  });
});

describe("generateStore(options)", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = generateStore({ seed: 7, shopName: "a", targetOrders: 3000 });
    const b = generateStore({ seed: 7, shopName: "a", targetOrders: 3000 });
    const c = generateStore({ seed: 8, shopName: "a", targetOrders: 3000 });
    expect(Array.from(a.orders.totalCents)).toEqual(Array.from(b.orders.totalCents));
    expect(Array.from(a.orders.totalCents)).not.toEqual(Array.from(c.orders.totalCents));
  });

  it("recovers the BG/NBD mean number of purchases per customer within 3% (analytic E[X(T)] per customer)", () => {
    const store = generateStore({
      seed: 11, shopName: "stats", customers: 50_000, seasonality: FLAT,
      purchaseProcess: { r: 0.5, alpha: 6, a: 0.8, b: 2.5, timeUnitDays: 7 },
    });
    const { purchaseProcess, historyEnd } = store.generation;
    let processOrders = 0;
    for (let i = 0; i < store.orders.count; i++) if (store.orders.flags[i] & ORDER_FLAG_PROCESS) processOrders++;
    let expected = 0;
    for (let c = 0; c < store.customers.count; c++) {
      const birth = store.customers.createdAt[c] + 60_000;
      expected += 1 + bgNbdExpectedRepeatPurchases(purchaseProcess, (historyEnd - birth) / (7 * DAY_MS));
    }
    const observed = processOrders / store.customers.count;
    const analytic = expected / store.customers.count;
    expect(Math.abs(observed - analytic) / analytic).toBeLessThan(0.03);
  });

  it("matches the BG/NBD distribution of repeat purchases (counts of customers with 0..5 repeats within 4 standard errors)", () => {
    const store = generateStore({ seed: 13, shopName: "pmf", customers: 40_000, seasonality: FLAT });
    const { purchaseProcess, historyEnd } = store.generation;
    const repeats = new Int32Array(store.customers.count);
    for (let i = 0; i < store.orders.count; i++) {
      if (store.orders.flags[i] & ORDER_FLAG_PROCESS) repeats[store.orders.customerIdx[i]]++;
    }
    for (let x = 0; x <= 5; x++) {
      let expected = 0;
      let variance = 0;
      let observed = 0;
      for (let c = 0; c < store.customers.count; c++) {
        const t = (historyEnd - (store.customers.createdAt[c] + 60_000)) / (7 * DAY_MS);
        const p = bgNbdProbabilityOfRepeatPurchases(purchaseProcess, t, x);
        expected += p;
        variance += p * (1 - p);
        if (repeats[c] - 1 === x) observed++;
      }
      expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(variance));
    }
  });

  it("recovers the Gamma-Gamma mean spend p·γ/(q−1) within 3%", () => {
    const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
    const store = generateStore({ seed: 12, shopName: "spend", targetOrders: 120_000, spend, seasonality: FLAT });
    let sum = 0;
    let count = 0;
    for (let i = 0; i < store.orders.count; i++) {
      if (store.orders.flags[i] & ORDER_FLAG_PROCESS) {
        sum += store.orders.totalCents[i] / 100;
        count++;
      }
    }
    const analytic = gammaGammaMeanSpend(spend); // 35.22 dollars
    expect(analytic).toBeCloseTo(35.22, 2);
    expect(Math.abs(sum / count - analytic) / analytic).toBeLessThan(0.03);
  });

  it("produces the requested shares of guest, test and cancelled orders (±0.5 points) and refunds lower current totals", () => {
    const store = generateStore({
      seed: 3, shopName: "shares", targetOrders: 40_000,
      guestOrderShare: 0.1, testOrderShare: 0.02, cancelledOrderShare: 0.05, refundedOrderShare: 0.1,
    });
    const o = store.orders;
    let guests = 0, tests = 0, cancelled = 0, refunded = 0, eligible = 0;
    for (let i = 0; i < o.count; i++) {
      if (o.customerIdx[i] < 0) guests++;
      if (o.flags[i] & ORDER_FLAG_TEST) tests++;
      if (o.flags[i] & ORDER_FLAG_CANCELLED) {
        cancelled++;
        expect(Number.isNaN(o.cancelledAt[i])).toBe(false);
      } else if (!(o.flags[i] & ORDER_FLAG_TEST)) {
        eligible++;
        if (o.refundedCents[i] > 0) {
          refunded++;
          expect(o.refundedCents[i]).toBeLessThanOrEqual(o.totalCents[i]);
        }
      }
    }
    expect(Math.abs(guests / o.count - 0.1)).toBeLessThan(0.005);
    expect(Math.abs(tests / o.count - 0.02)).toBeLessThan(0.005);
    expect(Math.abs(cancelled / o.count - 0.05)).toBeLessThan(0.005);
    expect(Math.abs(refunded / eligible - 0.1)).toBeLessThan(0.01);
  });

  it("applies monthly seasonality: a month with 3× the rate gets about 3/14 of customer acquisitions", () => {
    // Acquisitions are i.i.d. over whole years of history, so each month's expected share is its
    // multiplier over the sum (3/14 here). Order counts are not used: early months have fewer
    // customers alive, so their share depends on where history starts.
    const seasonality = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3];
    const store = generateStore({ seed: 5, shopName: "season", customers: 40_000, seasonality, historyYears: 4 });
    let december = 0;
    for (let c = 0; c < store.customers.count; c++) if (new Date(store.customers.createdAt[c] + 60_000).getUTCMonth() === 11) december++;
    // Months are twelfths of a mean year (December's 31 days are 0.085 of a year, not 1/12), so allow 1 point.
    expect(Math.abs(december / store.customers.count - 3 / 14)).toBeLessThan(0.01);
  });

  it("has customers favour a collection: products of one collection are bought together beyond chance, twice as often as products of two collections (decision 061)", () => {
    const store = generateStore({ seed: 4, shopName: "baskets", targetOrders: 30_000 });
    const o = store.orders;
    const bought = new Map<number, Set<number>>();
    for (let i = 0; i < o.count; i++) {
      const c = o.customerIdx[i];
      if (c < 0) continue;
      const products = bought.get(c) ?? new Set<number>();
      for (let l = o.lineStart[i]; l < o.lineStart[i + 1]; l++) products.add(o.lineProductIdx[l]);
      bought.set(c, products);
    }
    const buyers = new Map<number, number>();
    for (const products of bought.values()) for (const p of products) buyers.set(p, (buyers.get(p) ?? 0) + 1);
    const top = [...buyers.keys()].sort((a, b) => buyers.get(b)! - buyers.get(a)! || a - b).slice(0, 20);
    const collection = (p: number) => store.products[p].title.split(" ")[0];
    const lifts = { same: [] as number[], other: [] as number[] };
    for (const x of top) {
      for (const y of top) {
        if (x === y) continue;
        let both = 0;
        for (const products of bought.values()) if (products.has(x) && products.has(y)) both++;
        const lift = both / buyers.get(x)! / (buyers.get(y)! / bought.size);
        (collection(x) === collection(y) ? lifts.same : lifts.other).push(lift);
      }
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(lifts.same.length).toBeGreaterThan(10);
    // Every pair is above 1 somewhat, since customers with more orders buy more of everything; a
    // collection's pairs stand out against that.
    expect(mean(lifts.same)).toBeGreaterThan(2 * mean(lifts.other));
  });

  it("keeps orders in creation order so ids grow with time, and spreads history over the requested years", () => {
    const store = generateStore({ seed: 9, shopName: "hist", targetOrders: 5000, historyYears: 2 });
    const o = store.orders;
    for (let i = 1; i < o.count; i++) expect(o.createdAt[i]).toBeGreaterThanOrEqual(o.createdAt[i - 1]);
    const spanDays = (o.createdAt[o.count - 1] - o.createdAt[0]) / DAY_MS;
    expect(spanDays).toBeGreaterThan(700);
    expect(spanDays).toBeLessThan(731);
  });

  it("places orders at the hours a shop's customers buy (shop-local): each hour's share within a point of its weight", () => {
    const store = generateStore({ seed: 13, shopName: "hours", targetOrders: 20_000 });
    const perHour = new Array(24).fill(0);
    // The shop's zone is America/New_York; the generator uses its winter offset, UTC−5.
    for (let i = 0; i < store.orders.count; i++) perHour[new Date(store.orders.createdAt[i] - 5 * 3_600_000).getUTCHours()]++;
    const total = HOURLY_ORDER_WEIGHTS.reduce((a, b) => a + b, 0);
    for (let h = 0; h < 24; h++) expect(Math.abs(perHour[h] / store.orders.count - HOURLY_ORDER_WEIGHTS[h] / total), `hour ${h}`).toBeLessThan(0.01);
    // The evening is busier than the small hours, as in a real shop.
    expect(perHour[20]).toBeGreaterThan(5 * perHour[4]);
  });

  it("moves a time within its shop-local day only, keeps the order of times, and leaves the last day alone", () => {
    const end = DEFAULT_HISTORY_END;
    const localDay = (t: number) => Math.floor((t - 5 * 3_600_000) / DAY_MS);
    let previous = -Infinity;
    for (let t = end - 40 * DAY_MS; t < end; t += 997_001) {
      const moved = atShopHour(t, end);
      expect(localDay(moved)).toBe(localDay(t));
      expect(moved).toBeGreaterThan(previous);
      expect(moved).toBeLessThan(end);
      previous = moved;
    }
    // The local day that holds the end of history (Oct 31 from 19:00 New York time) is not moved.
    expect(atShopHour(end - 3_600_000, end)).toBe(end - 3_600_000);
  });

  it("is a function of the seed and the end of history: the same pair gives the same store, a later end moves its history", () => {
    const end = Date.UTC(2026, 11, 3);
    const a = generateStore({ seed: 7, shopName: "a", targetOrders: 3000, historyEnd: end });
    const b = generateStore({ seed: 7, shopName: "a", targetOrders: 3000, historyEnd: end });
    const fixed = generateStore({ seed: 7, shopName: "a", targetOrders: 3000 });
    expect(Array.from(a.orders.createdAt)).toEqual(Array.from(b.orders.createdAt));
    expect(Array.from(a.customers.createdAt)).toEqual(Array.from(b.customers.createdAt));
    expect(fixed.generation.historyEnd).toBe(DEFAULT_HISTORY_END);
    expect(a.orders.createdAt[a.orders.count - 1]).toBeLessThan(end);
    expect(a.orders.createdAt[a.orders.count - 1]).toBeGreaterThan(DEFAULT_HISTORY_END);
    expect(() => generateStore({ seed: 7, shopName: "a", historyEnd: Number.NaN })).toThrow(/historyEnd/);
  });

  it("rejects invalid parameters with the parameter's name", () => {
    expect(() => generateStore({ seed: 1, shopName: "x", guestOrderShare: 1.2 })).toThrow(/guestOrderShare/);
    expect(() => generateStore({ seed: 1, shopName: "x", purchaseProcess: { r: -1 } })).toThrow(/\br\b/);
    expect(() => generateStore({ seed: 1, shopName: "Bad Name" })).toThrow(/shopName/);
  });
});

describe("resource ids", () => {
  it("are above 2^53 so they cannot survive a round trip through a JS number", () => {
    const id = numericId("Order", 0);
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(String(Number(id))).not.toBe(id);
    expect(globalId("Customer", 41)).toBe(`gid://shopify/Customer/${numericId("Customer", 41)}`);
    expect(parseResourceId(globalId("Customer", 41))).toEqual({ type: "Customer", sequence: 41 });
    expect(parseResourceId(globalId("Customer", 41), "Order")).toBeNull();
  });
});

describe("the simulator's store runs up to the day its clock starts", () => {
  const started = Date.UTC(2026, 11, 3, 15, 30);

  it("ends history at midnight UTC of the clock's day, with orders and new customers in the last days", async () => {
    const sim = await createShopifySimulator({ seed: 3, port: 0, clock: createManualClock(started), shops: [{ name: "today", targetOrders: 4000 }] });
    try {
      const { customers, orders } = sim.shops.today.runtime.store;
      expect(sim.historyEnd).toBe(Date.UTC(2026, 11, 3));
      const newest = orders.createdAt[orders.count - 1];
      expect(newest).toBeLessThan(sim.historyEnd);
      expect(newest).toBeGreaterThan(sim.historyEnd - 7 * DAY_MS);
      // What the dashboard's "new customers" counts as of yesterday: acquired in the last 30 days.
      let acquiredLately = 0;
      for (let c = 0; c < customers.count; c++) if (customers.createdAt[c] >= sim.historyEnd - 30 * DAY_MS) acquiredLately++;
      expect(acquiredLately).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });

  it("generates the same store for the same seed and day, and honours an explicit end", async () => {
    const later = await createShopifySimulator({ seed: 3, port: 0, clock: createManualClock(started + 3 * 3_600_000), shops: [{ name: "today", targetOrders: 4000 }] });
    const again = await createShopifySimulator({ seed: 3, port: 0, clock: createManualClock(started), shops: [{ name: "today", targetOrders: 4000 }] });
    const pinned = await createShopifySimulator({ seed: 3, port: 0, clock: createManualClock(started), historyEnd: DEFAULT_HISTORY_END, shops: [{ name: "today", targetOrders: 4000 }] });
    try {
      expect(startOfUtcDay(started + 3 * 3_600_000)).toBe(again.historyEnd);
      expect(Array.from(later.shops.today.runtime.store.orders.createdAt)).toEqual(Array.from(again.shops.today.runtime.store.orders.createdAt));
      const pinnedOrders = pinned.shops.today.runtime.store.orders;
      expect(pinned.historyEnd).toBe(DEFAULT_HISTORY_END);
      expect(pinnedOrders.createdAt[pinnedOrders.count - 1]).toBeLessThan(DEFAULT_HISTORY_END);
    } finally {
      await Promise.all([later.close(), again.close(), pinned.close()]);
    }
  });
});
