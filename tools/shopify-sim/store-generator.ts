/**
 * Deterministic sample-store generator.
 *
 * Purchase process (BG/NBD, Fader, Hardie & Lee 2005): each customer has a purchase rate
 * λ ~ Gamma(r, α) per time unit and a dropout probability p ~ Beta(a, b). The first order is
 * placed at the customer's acquisition time; repeat orders then arrive as a Poisson process with
 * rate λ·m(month) (m = monthly seasonality multiplier, mean 1), and after each repeat order the
 * customer drops out for good with probability p. Spend per order follows Gamma-Gamma
 * (Fader, Hardie & Lee 2005, "RFM and CLV"): ν ~ Gamma(q, γ) per customer, each order's total
 * z ~ Gamma(p, ν), so E[z] = p·γ/(q−1).
 *
 * Only these "process" orders carry ORDER_FLAG_PROCESS. Guest, test and cancelled orders are
 * extra orders on top of the process, so an app that drops guests/tests/cancellations sees
 * exactly the BG/NBD data and can recover r, α, a, b (and p, q, γ from order totals; refunds
 * lower current totals on a share of orders). Each total splits into line items, tax and
 * shipping by the shop's pricing (order-pricing.ts), without random draws.
 */
import { createRandomSource, type RandomSource } from "./random-source.ts";
import { bgNbdExpectedRepeatPurchases } from "./bg-nbd-expectation.ts";
import {
  FIRST_NAMES, LAST_NAMES, PLACES, MARKETING_STATES, SALES_CHANNELS, FIRST_VISIT_SOURCES,
  PRODUCT_TYPES, VENDORS, PRODUCT_ADJECTIVES, INITIAL_CUSTOMER_TAGS, cumulativeWeights,
} from "./store-catalog.ts";
import {
  ORDER_FLAG_CANCELLED, ORDER_FLAG_PROCESS, ORDER_FLAG_TEST,
  type CustomerColumns, type OrderColumns, type ProductRecord, type ShopPlan, type ShopStore,
} from "./store-model.ts";
import { checkPricing, DEFAULT_PRICING, subtotalOfTotal, type ShopPricing } from "./order-pricing.ts";

export interface PurchaseProcessParams {
  /** Gamma shape of the purchase rate λ. */
  r: number;
  /** Gamma rate of λ (in the process's time unit). */
  alpha: number;
  /** Beta a of the dropout probability. */
  a: number;
  /** Beta b of the dropout probability. */
  b: number;
  /** Length of the process's time unit in days (7 = weeks, as in CDNOW). */
  timeUnitDays: number;
}

export interface SpendParams {
  /** Gamma shape of spend per order given ν. */
  p: number;
  /** Gamma shape of ν across customers. */
  q: number;
  /** Gamma rate of ν across customers (the paper's γ). */
  gamma: number;
}

export interface StoreGeneratorOptions {
  seed: number;
  /** "demo" → demo.myshopify.com */
  shopName: string;
  plan?: ShopPlan;
  currencyCode?: string;
  /** Approximate total number of orders (process + extras). Ignored when `customers` is given. */
  targetOrders?: number;
  /** Exact number of customers (overrides targetOrders). */
  customers?: number;
  /**
   * End of history (epoch ms): the generated store is a function of the seed and this date.
   * Default 2026-11-01T00:00:00Z (DEFAULT_HISTORY_END), never the real date; the simulator
   * passes the day its clock starts on (simulator.ts), so a demo store runs up to today.
   */
  historyEnd?: number;
  historyYears?: number;
  purchaseProcess?: Partial<PurchaseProcessParams>;
  spend?: Partial<SpendParams>;
  /** 12 monthly multipliers of the purchase and acquisition rates (normalised to mean 1). All-ones = no seasonality. */
  seasonality?: readonly number[];
  guestOrderShare?: number;
  testOrderShare?: number;
  cancelledOrderShare?: number;
  /** Share of process and guest orders that get a partial or full refund. */
  refundedOrderShare?: number;
  productCount?: number;
  /** Tax, shipping and tax-inclusive prices (default: DEFAULT_PRICING). Order totals do not depend on it. */
  pricing?: Partial<ShopPricing>;
}

/** CDNOW estimates (Fader, Hardie & Lee 2005): r=0.243, α=4.414, a=0.793, b=2.426 per week. */
export const DEFAULT_PURCHASE_PROCESS: PurchaseProcessParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, timeUnitDays: 7 };
/** CDNOW Gamma-Gamma estimates (Fader, Hardie & Lee 2005, RFM and CLV): p=6.25, q=3.74, γ=15.44 (dollars). */
export const DEFAULT_SPEND: SpendParams = { p: 6.25, q: 3.74, gamma: 15.44 };
/** Retail-like seasonality: slow summer, strong November/December. */
export const DEFAULT_SEASONALITY = [0.85, 0.8, 0.9, 0.95, 1.0, 0.9, 0.85, 0.9, 0.95, 1.05, 1.45, 1.4] as const;

const DAY_MS = 86_400_000;
/** The share of a customer's lines from their favourite collection (the rest by popularity alone). */
const COLLECTION_SHARE = 0.5;
const YEAR_MS = 365.2425 * DAY_MS;
/** A fixed end of history for stores generated without one (generateStore is pure: no clock). */
export const DEFAULT_HISTORY_END = Date.UTC(2026, 10, 1);

/**
 * Orders per shop-local hour (0–23) of a web shop, relative: quiet at night, a lunchtime rise
 * and the busiest hours in the evening. A Poisson process puts as many orders at 3 am as at
 * 3 pm; the timing page of a demo store with that looked like no shop.
 */
export const HOURLY_ORDER_WEIGHTS = [2, 1.2, 0.8, 0.6, 0.5, 0.6, 1, 1.8, 2.8, 3.8, 4.5, 5, 5.5, 5.5, 5.2, 5, 5, 5.2, 5.6, 6.2, 6.6, 6.2, 4.8, 3.2] as const;
const HOUR_MS = 3_600_000;
/** The generated shop's zone, America/New_York, at its winter offset: a summer order's hour is one off, its day is not. */
const SHOP_UTC_OFFSET_MS = -5 * HOUR_MS;
const HOURLY_CUMULATIVE = HOURLY_ORDER_WEIGHTS.reduce<number[]>((sums, w) => [...sums, sums[sums.length - 1] + w], [0]);

/**
 * Moves a time within its shop-local day so that times uniform over the day follow
 * HOURLY_ORDER_WEIGHTS (the inverse of the hours' distribution function, applied to the time's
 * fraction of the day). It keeps every time's day and the order of all times (it is increasing),
 * so customers, order ids and every figure by day stay as generated, and it draws no random
 * number, so the main stream is unchanged. The day that holds `historyEnd` is left as it is, so
 * nothing moves past the end of history.
 */
export function atShopHour(epochMs: number, historyEnd: number): number {
  const local = epochMs + SHOP_UTC_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  if (dayStart + DAY_MS - SHOP_UTC_OFFSET_MS > historyEnd) return epochMs;
  const position = ((local - dayStart) / DAY_MS) * HOURLY_CUMULATIVE[24];
  let hour = 0;
  while (hour < 23 && HOURLY_CUMULATIVE[hour + 1] <= position) hour++;
  const withinHour = (position - HOURLY_CUMULATIVE[hour]) / HOURLY_ORDER_WEIGHTS[hour];
  return dayStart + (hour + withinHour) * HOUR_MS - SHOP_UTC_OFFSET_MS;
}

/** Midnight UTC at the start of the day of `epochMs`. */
export function startOfUtcDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

export interface GeneratedStoreSummary {
  purchaseProcess: PurchaseProcessParams;
  spend: SpendParams;
  seasonality: number[];
  historyStart: number;
  historyEnd: number;
}

export interface GeneratedStore extends ShopStore {
  generation: GeneratedStoreSummary;
}

/** Growable Float64 column used while the number of orders is unknown. */
class GrowableColumns {
  capacity: number;
  length = 0;
  customerIdx: Int32Array;
  createdAt: Float64Array;
  totalCents: Float64Array;
  flags: Uint8Array;
  constructor(capacity: number) {
    this.capacity = Math.max(16, capacity);
    this.customerIdx = new Int32Array(this.capacity);
    this.createdAt = new Float64Array(this.capacity);
    this.totalCents = new Float64Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
  }
  push(customerIdx: number, createdAt: number, totalCents: number, flags: number) {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.customerIdx[i] = customerIdx;
    this.createdAt[i] = createdAt;
    this.totalCents[i] = totalCents;
    this.flags[i] = flags;
  }
  private grow() {
    this.capacity *= 2;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(this.capacity);
      next.set(old);
      return next;
    };
    this.customerIdx = grow(this.customerIdx, (n) => new Int32Array(n));
    this.createdAt = grow(this.createdAt, (n) => new Float64Array(n));
    this.totalCents = grow(this.totalCents, (n) => new Float64Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
  }
}

/** Normalises 12 monthly multipliers to mean 1, validating them. */
function normaliseSeasonality(values: readonly number[]): number[] {
  if (values.length !== 12 || values.some((v) => !(v >= 0))) {
    throw new Error(`seasonality must be 12 non-negative monthly multipliers, got [${values.join(", ")}]`);
  }
  const mean = values.reduce((s, v) => s + v, 0) / 12;
  if (!(mean > 0)) throw new Error("seasonality must not be all zero");
  return values.map((v) => v / mean);
}

/** Month of year (0–11) of an epoch time, approximating months as twelfths of a mean Gregorian year (drift < 1 day). */
function monthOfYear(epochMs: number): number {
  const yearFraction = epochMs / YEAR_MS - Math.floor(epochMs / YEAR_MS);
  return Math.min(11, Math.floor(yearFraction * 12));
}

function checkShare(name: string, value: number) {
  if (!(value >= 0 && value < 1)) throw new Error(`${name} must be in [0, 1), got ${value}`);
}

/** Draws a time in [start, end) with density ∝ seasonality (thinning). */
function seasonalTime(rng: RandomSource, start: number, end: number, season: number[], maxSeason: number): number {
  for (;;) {
    const t = start + rng.next() * (end - start);
    if (rng.next() * maxSeason <= season[monthOfYear(t)]) return t;
  }
}

/**
 * Generates one shop: products, customers and orders, deterministically from `seed`.
 * @throws on invalid parameters (shares outside [0,1), non-positive model parameters).
 */
export function generateStore(options: StoreGeneratorOptions): GeneratedStore {
  const rng = createRandomSource(options.seed);
  const process: PurchaseProcessParams = { ...DEFAULT_PURCHASE_PROCESS, ...options.purchaseProcess };
  const spend: SpendParams = { ...DEFAULT_SPEND, ...options.spend };
  for (const [k, v] of Object.entries({ ...process, ...spend })) {
    if (!(v > 0)) throw new Error(`generator parameter ${k} must be > 0, got ${v}`);
  }
  if (!(process.a !== 1)) throw new Error("generator parameter a must not be exactly 1");
  const season = normaliseSeasonality(options.seasonality ?? DEFAULT_SEASONALITY);
  const maxSeason = Math.max(...season);
  const guestShare = options.guestOrderShare ?? 0.08;
  const testShare = options.testOrderShare ?? 0.005;
  const cancelShare = options.cancelledOrderShare ?? 0.02;
  const refundShare = options.refundedOrderShare ?? 0.04;
  checkShare("guestOrderShare", guestShare);
  checkShare("testOrderShare", testShare);
  checkShare("cancelledOrderShare", cancelShare);
  checkShare("refundedOrderShare", refundShare);
  const pricing: ShopPricing = { ...DEFAULT_PRICING, ...options.pricing };
  checkPricing(pricing);
  const extraShare = guestShare + testShare + cancelShare;
  if (extraShare >= 1) throw new Error("guest + test + cancelled order shares must sum to < 1");

  const historyEnd = options.historyEnd ?? DEFAULT_HISTORY_END;
  if (!Number.isFinite(historyEnd)) throw new Error(`historyEnd must be a time (epoch ms), got ${historyEnd}`);
  const historyYears = options.historyYears ?? 3;
  if (!(historyYears > 0)) throw new Error(`historyYears must be > 0, got ${historyYears}`);
  const historyStart = historyEnd - historyYears * YEAR_MS;
  const unitMs = process.timeUnitDays * DAY_MS;

  // Size the customer base: expected process orders per customer = 1 + mean E[X(T)] over a uniform birth.
  let customerCount = options.customers;
  if (customerCount === undefined) {
    const target = options.targetOrders ?? 10_000;
    if (!(target > 0)) throw new Error(`targetOrders must be > 0, got ${target}`);
    const spanUnits = (historyEnd - historyStart) / unitMs;
    let meanRepeat = 0;
    const steps = 64;
    for (let s = 0; s < steps; s++) meanRepeat += bgNbdExpectedRepeatPurchases(process, ((s + 0.5) / steps) * spanUnits) / steps;
    customerCount = Math.max(1, Math.round((target * (1 - extraShare)) / (1 + meanRepeat)));
  }
  if (!Number.isInteger(customerCount) || customerCount < 0) throw new Error(`customers must be a non-negative integer, got ${customerCount}`);

  // Products.
  const productCount = options.productCount ?? 60;
  const products: ProductRecord[] = [];
  const productWeights = new Float64Array(productCount);
  /** Each product's collection: its title's first word ("Coastal Mug #19"). */
  const collectionOf = new Uint8Array(productCount);
  let weightTotal = 0;
  for (let i = 0; i < productCount; i++) {
    const productType = PRODUCT_TYPES[i % PRODUCT_TYPES.length];
    const created = historyStart - rng.next() * 90 * DAY_MS;
    const popularity = 1 / (i + 1); // Zipf(1)
    collectionOf[i] = rng.int(PRODUCT_ADJECTIVES.length);
    products.push({
      title: `${PRODUCT_ADJECTIVES[collectionOf[i]]} ${productType.replace(/s$/, "")} #${i + 1}`,
      productType,
      vendor: VENDORS[rng.int(VENDORS.length)],
      priceCents: 500 + rng.int(60) * 100 + 99,
      createdAt: created,
      updatedAt: created + rng.next() * (historyEnd - created),
      tags: rng.next() < 0.3 ? ["featured"] : [],
      popularity,
    });
    weightTotal += popularity;
    productWeights[i] = weightTotal;
  }

  // Collections bought together: each customer favours one collection, from which about
  // COLLECTION_SHARE of their lines come (weighted by popularity within it), so products of one
  // collection are bought together more often than by chance, as a real shop's cross-sells are
  // (docs/decisions/061). A stream of its own: the main one, and so every customer, order, total
  // and date, is the same as without it.
  const affinity = createRandomSource(options.seed + 0x61);
  const collectionWeights = Array.from({ length: PRODUCT_ADJECTIVES.length }, () => ({ products: [] as number[], weights: [] as number[] }));
  for (let i = 0; i < productCount; i++) {
    const collection = collectionWeights[collectionOf[i]];
    collection.products.push(i);
    collection.weights.push((collection.weights.at(-1) ?? 0) + products[i].popularity);
  }
  const favouriteCollection = new Uint8Array(customerCount);
  for (let c = 0; c < customerCount; c++) favouriteCollection[c] = affinity.int(PRODUCT_ADJECTIVES.length);

  // Customers, created in time order so ids grow with creation time as Shopify's do.
  const births = new Float64Array(customerCount);
  for (let i = 0; i < customerCount; i++) births[i] = seasonalTime(rng, historyStart, historyEnd, season, maxSeason);
  births.sort();
  const placeWeights = cumulativeWeights(PLACES);
  const marketingWeights = cumulativeWeights(MARKETING_STATES);
  const sourceWeights = cumulativeWeights(FIRST_VISIT_SOURCES);
  const channelWeights = cumulativeWeights(SALES_CHANNELS);
  const customers: CustomerColumns = {
    count: customerCount,
    firstNameIdx: new Uint8Array(customerCount),
    lastNameIdx: new Uint8Array(customerCount),
    placeIdx: new Uint8Array(customerCount),
    marketingStateIdx: new Uint8Array(customerCount),
    acquisitionSourceIdx: new Uint8Array(customerCount),
    createdAt: new Float64Array(customerCount),
    updatedAt: new Float64Array(customerCount),
    numberOfOrders: new Int32Array(customerCount),
    amountSpentCents: new Float64Array(customerCount),
    lastOrderAt: new Float64Array(customerCount).fill(NaN),
    tags: new Array(customerCount),
  };

  const expectedTotal = options.targetOrders ?? customerCount * 3;
  const raw = new GrowableColumns(Math.ceil(expectedTotal * 1.1));
  const spendScale = new Float64Array(customerCount); // ν per customer, kept for extra orders
  for (let c = 0; c < customerCount; c++) {
    customers.firstNameIdx[c] = rng.int(FIRST_NAMES.length);
    customers.lastNameIdx[c] = rng.int(LAST_NAMES.length);
    customers.placeIdx[c] = rng.weighted(placeWeights);
    customers.marketingStateIdx[c] = rng.weighted(marketingWeights);
    customers.acquisitionSourceIdx[c] = rng.weighted(sourceWeights);
    customers.createdAt[c] = atShopHour(births[c], historyEnd) - 60_000;
    let tags: string[] | undefined;
    for (const initial of INITIAL_CUSTOMER_TAGS) {
      if (rng.next() < initial.share) (tags ??= []).push(initial.tag);
    }
    customers.tags[c] = tags;

    const lambda = rng.gamma(process.r, process.alpha); // purchases per time unit
    const dropout = rng.beta(process.a, process.b);
    const nu = rng.gamma(spend.q, spend.gamma);
    spendScale[c] = nu;
    const spendCents = () => Math.max(1, Math.round(rng.gamma(spend.p, nu) * 100));

    raw.push(c, births[c], spendCents(), ORDER_FLAG_PROCESS);
    const proposalRate = (lambda * maxSeason) / unitMs; // per ms
    let t = births[c];
    for (;;) {
      t += rng.exponential(proposalRate);
      if (!(t < historyEnd)) break;
      if (rng.next() * maxSeason > season[monthOfYear(t)]) continue; // thinned: seasonal low
      raw.push(c, t, spendCents(), ORDER_FLAG_PROCESS);
      if (rng.next() < dropout) break;
    }
  }

  // Extra orders: guests, tests and cancellations, as shares of the final total.
  const processOrders = raw.length;
  const total = processOrders / (1 - extraShare);
  const guestCount = Math.round(total * guestShare);
  const testCount = customerCount > 0 ? Math.round(total * testShare) : 0;
  const cancelCount = customerCount > 0 ? Math.round(total * cancelShare) : 0;
  for (let g = 0; g < guestCount; g++) {
    const nu = rng.gamma(spend.q, spend.gamma);
    raw.push(-1, seasonalTime(rng, historyStart, historyEnd, season, maxSeason), Math.max(1, Math.round(rng.gamma(spend.p, nu) * 100)), 0);
  }
  for (let k = 0; k < testCount + cancelCount; k++) {
    const c = rng.int(customerCount);
    const when = seasonalTime(rng, births[c], historyEnd, season, maxSeason);
    const cents = Math.max(1, Math.round(rng.gamma(spend.p, spendScale[c]) * 100));
    raw.push(c, when, cents, k < testCount ? ORDER_FLAG_TEST : ORDER_FLAG_CANCELLED);
  }

  // Orders at the hours a shop's customers buy (the first order stays a minute after the
  // customer's creation: the same warp moved both).
  for (let i = 0; i < raw.length; i++) raw.createdAt[i] = atShopHour(raw.createdAt[i], historyEnd);

  // Order ids follow creation time: sort by createdAt.
  const n = raw.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const createdRaw = raw.createdAt;
  order.sort((x, y) => createdRaw[x] - createdRaw[y] || x - y);

  const orders: OrderColumns = {
    count: n,
    customerIdx: new Int32Array(n),
    createdAt: new Float64Array(n),
    updatedAt: new Float64Array(n),
    cancelledAt: new Float64Array(n),
    totalCents: new Float64Array(n),
    refundedCents: new Float64Array(n),
    flags: new Uint8Array(n),
    channelIdx: new Uint8Array(n),
    firstVisitSourceIdx: new Uint8Array(n),
    lineStart: new Int32Array(n + 1),
    lineProductIdx: new Int32Array(0),
    lineQuantity: new Uint16Array(0),
    lineOriginalCents: new Float64Array(0),
    lineDiscountedCents: new Float64Array(0),
    tags: new Map(),
  };
  const lineCap = Math.ceil(n * 2.2) + 16;
  let lineProduct = new Int32Array(lineCap);
  let lineQty = new Uint16Array(lineCap);
  let lineOriginal = new Float64Array(lineCap);
  let lineDiscounted = new Float64Array(lineCap);
  let lines = 0;
  const seenCustomer = new Uint8Array(customerCount);
  const weights = new Float64Array(8);

  for (let i = 0; i < n; i++) {
    const src = order[i];
    const c = raw.customerIdx[src];
    const created = raw.createdAt[src];
    const flags = raw.flags[src];
    const total = raw.totalCents[src];
    orders.customerIdx[i] = c;
    orders.createdAt[i] = created;
    orders.flags[i] = flags;
    orders.totalCents[i] = total;
    orders.channelIdx[i] = rng.weighted(channelWeights);
    // A customer's first order carries the visit that acquired them.
    if (c >= 0 && !seenCustomer[c]) {
      seenCustomer[c] = 1;
      orders.firstVisitSourceIdx[i] = customers.acquisitionSourceIdx[c];
    } else {
      orders.firstVisitSourceIdx[i] = rng.weighted(sourceWeights);
    }
    let updated = created + rng.next() * 3_600_000;
    orders.cancelledAt[i] = NaN;
    if (flags & ORDER_FLAG_CANCELLED) {
      const cancelled = Math.min(historyEnd, created + rng.next() * 2 * DAY_MS);
      orders.cancelledAt[i] = cancelled;
      orders.refundedCents[i] = total;
      updated = Math.max(updated, cancelled);
    } else if (!(flags & ORDER_FLAG_TEST) && rng.next() < refundShare) {
      const fraction = rng.next() < 0.3 ? 1 : 0.1 + 0.8 * rng.next();
      orders.refundedCents[i] = Math.round(total * fraction);
      updated = Math.max(updated, Math.min(historyEnd, created + (1 + rng.next() * 29) * DAY_MS));
    }
    orders.updatedAt[i] = Math.min(Math.max(updated, created), Math.max(historyEnd, created));

    // Line items: 1–5 products, the subtotal (the total without shipping, and without tax unless
    // prices include it) split across them; 10% of orders carry a 10% discount.
    const lineCount = Math.min(5, 1 + rng.poisson(0.6));
    if (lines + lineCount > lineProduct.length) {
      const grow = Math.ceil(lineProduct.length * 1.5) + lineCount;
      const p2 = new Int32Array(grow); p2.set(lineProduct); lineProduct = p2;
      const q2 = new Uint16Array(grow); q2.set(lineQty); lineQty = q2;
      const o2 = new Float64Array(grow); o2.set(lineOriginal); lineOriginal = o2;
      const d2 = new Float64Array(grow); d2.set(lineDiscounted); lineDiscounted = d2;
    }
    orders.lineStart[i] = lines;
    let weightSum = 0;
    for (let k = 0; k < lineCount; k++) {
      weights[k] = 0.5 + rng.next();
      weightSum += weights[k];
    }
    const discounted = rng.next() < 0.1;
    const itemsSubtotal = subtotalOfTotal(pricing, total);
    let remaining = itemsSubtotal;
    for (let k = 0; k < lineCount; k++) {
      const share = k === lineCount - 1 ? remaining : Math.round((itemsSubtotal * weights[k]) / weightSum);
      remaining -= share;
      const popular = rng.weighted(productWeights);
      const favourite = c >= 0 && affinity.next() < COLLECTION_SHARE ? collectionWeights[favouriteCollection[c]] : null;
      lineProduct[lines] = favourite && favourite.products.length > 0 ? favourite.products[affinity.weighted(favourite.weights)] : popular;
      lineQty[lines] = rng.next() < 0.15 ? 2 : 1;
      lineDiscounted[lines] = share;
      lineOriginal[lines] = discounted ? Math.round(share / 0.9) : share;
      lines++;
    }

    if (c >= 0) {
      if (!(flags & ORDER_FLAG_TEST)) {
        customers.numberOfOrders[c]++;
        customers.lastOrderAt[c] = created;
        if (!(flags & ORDER_FLAG_CANCELLED)) customers.amountSpentCents[c] += total - orders.refundedCents[i];
      }
      if (orders.updatedAt[i] > customers.updatedAt[c]) customers.updatedAt[c] = orders.updatedAt[i];
    }
  }
  orders.lineStart[n] = lines;
  orders.lineProductIdx = lineProduct.subarray(0, lines);
  orders.lineQuantity = lineQty.subarray(0, lines);
  orders.lineOriginalCents = lineOriginal.subarray(0, lines);
  orders.lineDiscountedCents = lineDiscounted.subarray(0, lines);
  for (let c = 0; c < customerCount; c++) {
    if (customers.updatedAt[c] < customers.createdAt[c]) customers.updatedAt[c] = customers.createdAt[c];
  }

  const name = options.shopName;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`shopName must be lowercase letters, digits and dashes, got "${name}"`);
  return {
    shop: {
      name,
      domain: `${name}.myshopify.com`,
      currencyCode: options.currencyCode ?? "USD",
      plan: options.plan ?? "standard",
      ianaTimezone: "America/New_York",
      email: `owner@${name}.example.com`,
      createdAt: historyStart - 120 * DAY_MS,
      pricing,
    },
    products,
    customers,
    orders,
    version: 0,
    generation: { purchaseProcess: process, spend, seasonality: season, historyStart, historyEnd },
  };
}
