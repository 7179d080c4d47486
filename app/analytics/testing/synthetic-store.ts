/**
 * The seeded synthetic store of the analytics benchmarks and the big-store fit test (bench/analytics-bench.ts,
 * bench/fit-grid-error.ts): 3 years of orders from a BG/NBD-like process (heterogeneous
 * purchase rates, dropout after each purchase), ~0.3 customers per order, 5 % guest orders,
 * 1–3 line items from 500 products, customer-specific spend levels.
 */
import { createDatasetBuilder, type StoreDataset } from "../dataset/dataset-builder";
import { createSeededRng } from "../models/index.ts";

const DAY = 86_400_000;
const START = Date.UTC(2022, 0, 1);
const SPAN_DAYS = 3 * 365;

/** As-of date the benchmarks analyse the synthetic store at. */
export const SYNTHETIC_AS_OF = "2024-12-31";

/** Generates about `targetOrders` orders (seeded by the size: same size, same store). */
export function syntheticStore(targetOrders: number): StoreDataset {
  const rng = createSeededRng(targetOrders);
  const builder = createDatasetBuilder({ utcOffsetMinutes: 60 });
  const sources = ["web", "pos", "instagram", "google", "email"];
  const countries = ["NL", "DK", "DE", "BE", "GB"];
  let orders = 0;
  let customer = 0;
  const line = { productId: "", quantity: 1, revenue: 0 };
  while (orders < targetOrders) {
    const id = `c${customer++}`;
    // BG/NBD-like process: heterogeneous purchase rate, dropout after each purchase.
    const rate = -Math.log(1 - rng()) * (1 / 40); // per day, mean 1/40
    const dropout = 0.05 + 0.4 * rng();
    let day = Math.floor(rng() * SPAN_DAYS);
    const guest = rng() < 0.05;
    // Customer-specific spend level (Gamma-Gamma's heterogeneity): log-normal around 1.
    const spendLevel = Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));
    builder.addCustomer({ customerId: id, country: countries[Math.floor(rng() * countries.length)], city: `city-${Math.floor(rng() * 200)}` });
    for (;;) {
      const products = 1 + Math.floor(rng() * 3);
      const lines = [];
      let revenue = 0;
      for (let p = 0; p < products; p++) {
        const price = Math.round((5 + rng() * 60) * spendLevel * 100) / 100;
        lines.push({ ...line, productId: `p${Math.floor(Math.pow(rng(), 2) * 500)}`, revenue: price });
        revenue += price;
      }
      builder.add({
        customerId: guest ? null : id,
        at: START + day * DAY + Math.floor(rng() * DAY),
        revenue,
        lineItems: lines,
        source: sources[Math.floor(Math.pow(rng(), 1.5) * sources.length)],
      });
      orders++;
      if (guest || orders >= targetOrders || rng() < dropout) break;
      day += 1 + Math.floor(-Math.log(1 - rng()) / rate);
      if (day >= SPAN_DAYS) break;
    }
  }
  return builder.build();
}
