import type { CustomerFacts } from "../customers/customer-facts";
import type { StoreDataset } from "../dataset/dataset-builder";

export interface CrossSellPair {
  /** Customers bought `bought`… */
  readonly bought: string;
  readonly boughtTitle: string;
  /** …and never `neverBought`. */
  readonly neverBought: string;
  readonly neverBoughtTitle: string;
  /** Size of the audience "bought X, never bought Y". */
  readonly audience: number;
  /** Share of X's buyers who also bought Y, P(Y | X). */
  readonly confidence: number;
  /**
   * How many times more often X's buyers bought Y than customers at large: P(Y | X) / P(Y), over
   * the customers who bought any product. Above 1 the two go together; the ranking's measure.
   */
  readonly lift: number;
  /** Customers who bought both. */
  readonly both: number;
}

/**
 * F11 cross-sell audiences "bought X, never bought Y" among the `topN` products by buyers, ranked
 * by lift, P(Y | X) / P(Y): how much more often X's buyers bought Y than customers at large
 * (Brin, Motwani, Ullman & Tsur 1997, "Dynamic itemset counting and implication rules for market
 * basket data", their "interest"; docs/metrics.md "Cross-sell audiences"). Confidence P(Y | X)
 * alone ranks the shop's best seller first after every product, since its buyers are many among
 * anyone's; lift ranks the products bought together. Kept: pairs bought together more often than
 * by chance (lift > 1) by at least `minBoth` customers; ties by audience size. Uses a bit mask of
 * the top products per customer, so it is linear in line items plus topN² per customer.
 */
export function crossSellPairs(dataset: StoreDataset, facts: CustomerFacts, topN = 20, limit = 20, minBoth = 5): CrossSellPair[] {
  const p = dataset.productIds.length;
  const buyers = new Float64Array(p);
  const lastCustomer = new Int32Array(p).fill(-1);
  const { lineOrder, lineProduct, orderCustomer, orderDay } = dataset;
  // Customers who bought any product by the as-of date (P(Y)'s denominator); lines come in customer order.
  let shoppers = 0;
  let lastShopper = -1;
  for (let l = 0; l < lineOrder.length; l++) {
    const o = lineOrder[l];
    const c = orderCustomer[o];
    if (c < 0 || orderDay[o] > facts.asOfDay) continue;
    if (c !== lastShopper) {
      shoppers++;
      lastShopper = c;
    }
    if (lastCustomer[lineProduct[l]] !== c) {
      buyers[lineProduct[l]]++;
      lastCustomer[lineProduct[l]] = c;
    }
  }
  const top = Array.from({ length: p }, (_, i) => i)
    .filter((i) => buyers[i] > 0)
    .sort((a, b) => buyers[b] - buyers[a] || a - b)
    .slice(0, Math.min(topN, 31));
  if (top.length < 2) return [];
  const slot = new Int32Array(p).fill(-1);
  top.forEach((product, i) => (slot[product] = i));
  const mask = new Uint32Array(dataset.customerCount);
  for (let l = 0; l < lineOrder.length; l++) {
    const o = lineOrder[l];
    const c = orderCustomer[o];
    if (c < 0 || orderDay[o] > facts.asOfDay) continue;
    const s = slot[lineProduct[l]];
    if (s >= 0) mask[c] |= 1 << s;
  }
  const k = top.length;
  const both = new Float64Array(k * k);
  const single = new Float64Array(k);
  for (let c = 0; c < mask.length; c++) {
    const m = mask[c];
    if (m === 0) continue;
    for (let i = 0; i < k; i++) {
      if (!(m & (1 << i))) continue;
      single[i]++;
      for (let j = 0; j < k; j++) if (j !== i && m & (1 << j)) both[i * k + j]++;
    }
  }
  const pairs: CrossSellPair[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j || both[i * k + j] < minBoth) continue;
      const x = top[i];
      const y = top[j];
      const audience = single[i] - both[i * k + j];
      const confidence = both[i * k + j] / single[i];
      const lift = confidence / (single[j] / shoppers);
      if (audience <= 0 || !(lift > 1)) continue;
      pairs.push({
        bought: dataset.productIds[x],
        boughtTitle: dataset.productTitles[x],
        neverBought: dataset.productIds[y],
        neverBoughtTitle: dataset.productTitles[y],
        audience,
        confidence,
        lift,
        both: both[i * k + j],
      });
    }
  }
  return pairs.sort((a, b) => b.lift - a.lift || b.audience - a.audience || a.bought.localeCompare(b.bought) || a.neverBought.localeCompare(b.neverBought)).slice(0, limit);
}
