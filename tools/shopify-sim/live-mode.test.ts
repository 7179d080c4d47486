import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "./clock.ts";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { startTestReceiver } from "./test-receiver.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(faults = {}, answer?: Parameters<typeof startTestReceiver>[0]) {
  const receiver = await startTestReceiver(answer);
  const clock = createManualClock(Date.UTC(2026, 10, 10));
  const sim: ShopifySimulator = await createShopifySimulator({ seed: 4, clock, shops: [{ name: "live", targetOrders: 300 }], appUrl: receiver.url, webhookFaults: faults });
  cleanups.push(() => receiver.close(), () => sim.close());
  return { receiver, clock, sim };
}

describe("live mode", () => {
  it("keeps placing orders that the Admin API shows and announces them by webhook", async () => {
    const { receiver, clock, sim } = await setup();
    const store = sim.shops.live.runtime.store;
    const before = store.orders.count;
    const live = sim.startLiveMode({ ordersPerMinute: 10, customerUpdatesPerMinute: 0 });
    await clock.advance(30 * 60_000);
    live.stop();
    await sim.webhooks.idle();
    const placed = store.orders.count - before;
    // Poisson(300) orders in 30 minutes at 10/min: 5 standard deviations is about ±87.
    expect(placed).toBeGreaterThan(213);
    expect(placed).toBeLessThan(387);
    const created = receiver.received.filter((r) => r.headers["x-shopify-topic"] === "orders/create");
    expect(created).toHaveLength(placed);
    const response = await sim.fetch(`https://live.myshopify.com/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": sim.shops.live.accessToken },
      body: JSON.stringify({ query: "{ orders(last: 1) { nodes { id } } }" }),
    });
    const newest = (await response.json()) as any;
    expect(created.at(-1)!.rawBody.toString()).toContain(`"admin_graphql_api_id":"${newest.data.orders.nodes[0].id}"`);
    const after = receiver.received.length;
    await clock.advance(30 * 60_000);
    expect(receiver.received.length).toBe(after); // stopped
  });

  it("delivers live webhooks with the faults requested (duplicates, retries after failure)", async () => {
    const { receiver, clock, sim } = await setup({ duplicateProbability: 1 }, (_r, i) => (i % 3 === 0 ? 500 : 200));
    const live = sim.startLiveMode({ ordersPerMinute: 0, customerUpdatesPerMinute: 4 });
    await clock.advance(10 * 60_000);
    live.stop();
    await clock.advance(4 * 3_600_000); // let retries finish
    await sim.webhooks.idle();
    const byId = new Map<string, number[]>();
    for (const r of receiver.received) {
      const id = String(r.headers["x-shopify-webhook-id"]);
      byId.set(id, [...(byId.get(id) ?? []), r.status]);
    }
    expect(byId.size).toBeGreaterThan(10);
    for (const statuses of byId.values()) {
      // Each webhook was sent twice and every failed attempt was retried until a 2xx.
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    }
    expect(receiver.received.some((r) => r.status === 500)).toBe(true);
  });
});

describe("production refusal", () => {
  it("refuses to start with NODE_ENV=production with a one-line error", async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await expect(createShopifySimulator({ shops: ["x"] })).rejects.toThrow(/^shopify-sim refuses to start with NODE_ENV=production[^\n]*$/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
