import type { CustomerFacts } from "../customers/customer-facts";
import type { StoreDataset } from "../dataset/dataset-builder";

export interface ProductRank {
  readonly productId: string;
  readonly title: string;
  readonly productType: string;
  /** Orders containing the product. */
  readonly orders: number;
  readonly quantity: number;
  readonly revenue: number;
  /** Distinct customers who bought it. */
  readonly customers: number;
}

/**
 * F11 most popular products of a set of customers (a segment or group), ranked by the number
 * of orders containing them (seed 002 "Mest populære produkter" default sort), up to the as-of
 * date.
 * @param labels per-customer label (e.g. segment index), 255 = not in any
 * @returns one ranking per label value 0 … labelCount − 1
 */
export function topProductsByLabel(dataset: StoreDataset, facts: CustomerFacts, labels: Uint8Array, labelCount: number, limit = 10): ProductRank[][] {
  const p = dataset.productIds.length;
  const orders = Array.from({ length: labelCount }, () => new Float64Array(p));
  const quantity = Array.from({ length: labelCount }, () => new Float64Array(p));
  const revenue = Array.from({ length: labelCount }, () => new Float64Array(p));
  const customers = Array.from({ length: labelCount }, () => new Float64Array(p));
  const lastCustomer = new Int32Array(p).fill(-1);
  const lastOrder = new Int32Array(p).fill(-1);
  const { lineOrder, lineProduct, lineQuantity, lineRevenue, orderCustomer, orderDay } = dataset;
  for (let l = 0; l < lineOrder.length; l++) {
    const o = lineOrder[l];
    const c = orderCustomer[o];
    if (c < 0 || orderDay[o] > facts.asOfDay) continue;
    const label = labels[c];
    if (label >= labelCount) continue;
    const product = lineProduct[l];
    if (lastOrder[product] !== o) {
      orders[label][product]++;
      lastOrder[product] = o;
    }
    if (lastCustomer[product] !== c) {
      customers[label][product]++;
      lastCustomer[product] = c;
    }
    quantity[label][product] += lineQuantity[l];
    revenue[label][product] += lineRevenue[l];
  }
  return orders.map((byProduct, label) => {
    const ranked: number[] = [];
    for (let product = 0; product < p; product++) if (byProduct[product] > 0) ranked.push(product);
    ranked.sort((a, b) => byProduct[b] - byProduct[a] || revenue[label][b] - revenue[label][a] || a - b);
    return ranked.slice(0, limit).map((product) => ({
      productId: dataset.productIds[product],
      title: dataset.productTitles[product],
      productType: dataset.productTypes[product],
      orders: byProduct[product],
      quantity: quantity[label][product],
      revenue: revenue[label][product],
      customers: customers[label][product],
    }));
  });
}
