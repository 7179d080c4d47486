/**
 * Webhooks end to end: the simulator signs and delivers (with duplicates, delays and
 * reordering), the app's real webhook routes verify and record, the sync worker applies.
 * Faulty delivery must converge to the state in-order delivery gives; a shop's webhook must
 * not touch another shop's rows; a forged HMAC stores nothing; customers/redact leaves the
 * customer's e-mail and name nowhere in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { startHarness, waitFor, type Harness } from "./simulator-harness";
import { activeWorkers } from "../../app/sync/jobs/worker-registry";
import { RawJsonNumber, restOrder, stringifyWithRawNumbers } from "../../tools/shopify-sim/rest-payloads";
import { numericId } from "../../tools/shopify-sim/resource-ids";
import type { WebhookFaults } from "../../tools/shopify-sim/webhook-sender";
import type { Database } from "../../app/db.server";
import type { SyncEngine } from "../../app/jobs/worker.server";

const CUSTOMER_NUMERIC = "8123456789012345678"; // > 2^53
const CUSTOMER_GID = `gid://shopify/Customer/${CUSTOMER_NUMERIC}`;
const EMAIL = "zoe.quartermaine.unique@example.com";

function customerPayload(updatedAt: string, firstName: string) {
  return {
    id: new RawJsonNumber(CUSTOMER_NUMERIC),
    admin_graphql_api_id: CUSTOMER_GID,
    email: EMAIL,
    first_name: firstName,
    last_name: "Quartermaine",
    created_at: "2026-01-01T10:00:00+00:00",
    updated_at: updatedAt,
    phone: "+15550001111",
    default_address: { city: "Springfield", province: "Oregon", province_code: "OR", country_code: "US", country_name: "United States" },
  };
}

/** The events of one story, in the order Shopify would emit them. */
function story(h: Harness): { topic: string; payload: unknown }[] {
  const store = h.sim.shops.inorder.runtime.store;
  const base = restOrder(store, 0) as Record<string, unknown>;
  const other = restOrder(store, 1) as Record<string, unknown>;
  const lines = base.line_items as Record<string, unknown>[];
  const customerRef = { id: new RawJsonNumber(CUSTOMER_NUMERIC), admin_graphql_api_id: CUSTOMER_GID, email: EMAIL, first_name: "Zoe", last_name: "Quartermaine" };
  const v1 = { ...base, customer: customerRef, updated_at: "2026-02-01T10:00:00+00:00", current_total_price_set: { shop_money: { amount: "100.00", currency_code: "USD" } } };
  const v2 = { ...v1, updated_at: "2026-02-02T10:00:00+00:00", line_items: lines.slice(0, 1), current_total_price_set: { shop_money: { amount: "60.00", currency_code: "USD" } } };
  const v3 = { ...v2, updated_at: "2026-02-03T10:00:00+00:00", cancelled_at: "2026-02-03T10:00:00+00:00" };
  return [
    { topic: "orders/create", payload: v1 }, // the order arrives before its customer exists
    { topic: "customers/create", payload: customerPayload("2026-02-01T09:00:00+00:00", "Zoe") },
    { topic: "customer.tags_added", payload: { customerId: CUSTOMER_GID, tags: ["vip", "newsletter"], occurredAt: "2026-02-01T11:00:00Z" } },
    // Removing a tag just added: delivered first, it must not be undone by the older addition.
    { topic: "customer.tags_removed", payload: { customerId: CUSTOMER_GID, tags: ["newsletter"], occurredAt: "2026-02-01T11:05:00Z" } },
    { topic: "orders/updated", payload: v2 },
    { topic: "customers/update", payload: customerPayload("2026-02-02T09:00:00+00:00", "Zoey") },
    { topic: "orders/cancelled", payload: v3 },
    { topic: "orders/create", payload: { ...other, updated_at: "2026-02-01T12:00:00+00:00" } },
    { topic: "orders/delete", payload: { id: (other as { id: unknown }).id, admin_graphql_api_id: other.admin_graphql_api_id } },
  ];
}

async function shopRows(prisma: Database, shop: string) {
  const customers = await prisma.customer.findMany({ where: { shop }, orderBy: { shopifyId: "asc" } });
  const orders = await prisma.order.findMany({ where: { shop }, orderBy: { shopifyId: "asc" }, include: { lines: { orderBy: { shopifyId: "asc" } } } });
  return {
    // tagEvents is bookkeeping with delivery times, which differ between the two shops' runs.
    customers: customers.map(({ id: _i, shop: _s, syncedAt: _y, tagEvents: _t, ...c }) => ({ ...c, amountSpent: c.amountSpent.toString() })),
    // deleted orders: only that they are deleted (a tombstone written before the create has no content)
    orders: orders.map(({ id: _i, shop: _s, syncedAt: _y, lines, deletedAt, ...o }) =>
      deletedAt
        ? { shopifyId: o.shopifyId, deleted: true }
        : { ...o, totalPrice: o.totalPrice.toString(), totalRefunded: o.totalRefunded.toString(), subtotalPrice: String(o.subtotalPrice), netSales: String(o.netSales), lines: lines.map(({ id: _l, orderId: _o, shop: _ls, ...l }) => ({ ...l, amount: l.amount.toString() })) },
    ),
  };
}

describe.each(TEST_DIALECTS)("webhooks end to end on %s", (dialect) => {
  let h: Harness;
  let engine: SyncEngine;
  beforeAll(async () => {
    h = await startHarness(dialect, [{ name: "inorder", targetOrders: 50 }, { name: "faulty", targetOrders: 50 }, { name: "other", targetOrders: 50 }]);
    // Deliveries are applied only for installed shops (shop-lifecycle.ts).
    for (const name of ["inorder", "faulty", "other"]) await h.installShop(name);
    engine = h.engine();
    await engine.start();
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
    expect(activeWorkers()).toEqual([]);
    await h?.close();
  }, 60_000);

  async function deliver(shopName: string, topic: string, payload: unknown, faults: WebhookFaults = {}) {
    const message = h.sim.triggerWebhook(shopName, topic, { payload }, faults);
    expect(message).not.toBeNull();
    return message!;
  }

  async function drained(domain: string) {
    await waitFor(async () => (h.sim.webhooks.pendingCount() === 0 ? true : undefined), 20_000, "deliveries");
    await waitFor(async () => ((await h.app.db.prisma.webhookEvent.count({ where: { shop: domain, status: "pending" } })) === 0 ? true : undefined), 20_000, "applied");
  }

  it("duplicated, delayed and reordered webhooks converge to the in-order state; each delivery applies once", async () => {
    const inorder = h.sim.shops.inorder.domain;
    const faulty = h.sim.shops.faulty.domain;
    for (const { topic, payload } of story(h)) {
      await deliver("inorder", topic, payload);
      await drained(inorder);
    }
    const sent: Promise<unknown>[] = [];
    for (const { topic, payload } of story(h)) {
      sent.push(deliver("faulty", topic, payload, { duplicateProbability: 0.6, delayMs: [0, 300], reorderWindowMs: 400 }));
      // Events happen one after another (distinct X-Shopify-Triggered-At); delivery then scrambles them.
      await new Promise((r) => setTimeout(r, 3));
    }
    await drained(faulty);

    const expected = await shopRows(h.app.db.prisma, inorder);
    expect(expected.customers).toHaveLength(1);
    expect(expected.customers[0]).toMatchObject({ firstName: "Zoey", email: EMAIL, tags: '["vip"]', shopifyId: CUSTOMER_GID });
    const live = expected.orders.find((o) => !("deleted" in o)) as { totalPrice: string; customerShopifyId: string; lines: unknown[]; cancelledAt: Date | null };
    expect(live).toMatchObject({ totalPrice: "60", customerShopifyId: CUSTOMER_GID });
    expect(live.lines).toHaveLength(1);
    expect(live.cancelledAt).not.toBeNull();
    expect(expected.orders.filter((o) => "deleted" in o)).toHaveLength(1);

    expect(await shopRows(h.app.db.prisma, faulty)).toEqual(expected);
    // one WebhookEvent per webhook id however often it was delivered, each applied once
    expect(await Promise.all(sent)).toHaveLength(story(h).length);
    const events = await h.app.db.prisma.webhookEvent.findMany({ where: { shop: faulty } });
    expect(events).toHaveLength(story(h).length);
    expect(events.every((e) => e.status === "applied" && e.attempts === 1)).toBe(true);
    const duplicates = h.sim.webhooks.attempts.filter((a) => a.shop === faulty && a.duplicate);
    expect(duplicates.length).toBeGreaterThan(0);
  }, 60_000);

  it("tag events delivered in the reverse of the order they happened converge to the later one", async () => {
    const shop = h.sim.shops.other.domain;
    const customerId = "gid://shopify/Customer/7000000000000000001";
    const tagsOf = async () => JSON.parse((await h.app.db.prisma.customer.findFirstOrThrow({ where: { shop, shopifyId: customerId } })).tags) as string[];
    // Added, then removed; the addition is held back so the removal arrives first.
    const added = await deliver("other", "customer.tags_added", { customerId, tags: ["vip", "wholesale"] }, { delayMs: 600 });
    await new Promise((r) => setTimeout(r, 5));
    const removed = await deliver("other", "customer.tags_removed", { customerId, tags: ["vip"] });
    expect(removed.triggeredAt).toBeGreaterThan(added.triggeredAt);
    await drained(shop);
    const attempts = h.sim.webhooks.attempts.filter((a) => a.shop === shop && (a.webhookId === added.webhookId || a.webhookId === removed.webhookId));
    expect(attempts.map((a) => a.webhookId)).toEqual([removed.webhookId, added.webhookId]);
    expect(await tagsOf()).toEqual(["wholesale"]);
  }, 30_000);

  it("a webhook for shop A cannot touch shop B's rows", async () => {
    const victim = h.sim.shops.inorder.domain;
    const before = await shopRows(h.app.db.prisma, victim);
    const live = before.orders.find((o) => !("deleted" in o)) as { shopifyId: string };
    const attack = { ...restOrder(h.sim.shops.inorder.runtime.store, 0), admin_graphql_api_id: live.shopifyId, updated_at: "2030-01-01T00:00:00+00:00", current_total_price_set: { shop_money: { amount: "0.01", currency_code: "USD" } } };
    await deliver("other", "orders/updated", attack);
    await drained(h.sim.shops.other.domain);
    expect(await shopRows(h.app.db.prisma, victim)).toEqual(before);
    const own = await h.app.db.prisma.order.findFirstOrThrow({ where: { shop: h.sim.shops.other.domain, shopifyId: live.shopifyId } });
    expect(own.totalPrice.toString()).toBe("0.01");
  }, 30_000);

  it("a forged HMAC gets 401 and stores nothing", async () => {
    const before = await h.app.db.prisma.webhookEvent.count();
    const body = stringifyWithRawNumbers({ id: new RawJsonNumber(numericId("Order", 3)) });
    const url = h.receiverUrl + "/webhooks/orders/create";
    const forged = await fetch(url, {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": "bm90LXRoZS1yaWdodC1obWFjLXZhbHVlLWF0LWFsbCE=",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": h.sim.shops.inorder.domain,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": "forged-1",
      },
    });
    expect(forged.status).toBe(401);
    expect(await h.app.db.prisma.webhookEvent.count()).toBe(before);
  });

  it("after customers/redact the customer's e-mail and name appear nowhere in the database", async () => {
    const shop = h.sim.shops.faulty.domain;
    const ordersBefore = await h.app.db.prisma.order.aggregate({ where: { shop }, _sum: { totalPrice: true }, _count: true });
    await deliver("faulty", "customers/data_request", { shop_domain: shop, customer: { id: new RawJsonNumber(CUSTOMER_NUMERIC), email: EMAIL, phone: "+15550001111" }, orders_requested: [], data_request: { id: 9 } });
    await drained(shop);
    const request = await h.app.db.prisma.complianceRequest.findFirstOrThrow({ where: { shop, topic: "customers/data_request" } });
    expect(request.customerShopifyId).toBe(CUSTOMER_GID);
    expect(JSON.parse(request.result!).customer.email).toBe(EMAIL); // the merchant can answer the request

    await deliver("faulty", "customers/redact", { shop_domain: shop, customer: { id: new RawJsonNumber(CUSTOMER_NUMERIC), email: EMAIL, phone: "+15550001111" }, orders_to_redact: [] });
    await drained(shop);
    const hits = await scanTextColumns(h.app.db.prisma, dialect, shop, [EMAIL, "Quartermaine", "+15550001111"]);
    expect(hits).toEqual([]);
    // orders stay as anonymous aggregates
    const ordersAfter = await h.app.db.prisma.order.aggregate({ where: { shop }, _sum: { totalPrice: true }, _count: true });
    expect(ordersAfter).toEqual(ordersBefore);
    // a late customers/update for the redacted customer does not bring the data back
    await deliver("faulty", "customers/update", customerPayload("2026-03-01T09:00:00+00:00", "Zoey"));
    await drained(shop);
    expect(await scanTextColumns(h.app.db.prisma, dialect, shop, [EMAIL, "Quartermaine"])).toEqual([]);
  }, 30_000);
});

/**
 * Every text column of every table, searched for each needle: `table.column` hits. Tables with a
 * `shop` column are searched within the shop (another shop's customer with the same data is
 * another person's record); tables without one are searched whole.
 */
async function scanTextColumns(prisma: Database, dialect: string, shop: string, needles: string[]): Promise<string[]> {
  const columns: { table: string; column: string }[] = [];
  if (dialect === "sqlite") {
    const tables = (await prisma.$queryRawUnsafe(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)) as { name: string }[];
    for (const { name } of tables) {
      const info = (await prisma.$queryRawUnsafe(`PRAGMA table_info("${name}")`)) as { name: string; type: string }[];
      for (const c of info) if (/TEXT|CHAR|CLOB/i.test(c.type)) columns.push({ table: name, column: c.name });
    }
  } else {
    const rows = (await prisma.$queryRawUnsafe(
      `SELECT table_schema || '"."' || table_name AS table, column_name AS column FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND data_type IN ('text', 'character varying', 'jsonb', 'json')`,
    )) as { table: string; column: string }[];
    columns.push(...rows);
  }
  const shopScoped = new Set(columns.filter((c) => c.column === "shop").map((c) => c.table));
  expect(columns.length).toBeGreaterThan(20);
  expect(shopScoped.has(dialect === "sqlite" ? "Customer" : 'public"."Customer')).toBe(true);
  const hits: string[] = [];
  for (const { table, column } of columns) {
    for (const needle of needles) {
      const cast = dialect === "sqlite" ? `"${column}"` : `"${column}"::text`;
      const [p1, p2] = dialect === "sqlite" ? ["?", "?"] : ["$1", "$2"];
      const scope = shopScoped.has(table) ? ` AND "shop" = ${p2}` : "";
      const params = shopScoped.has(table) ? [`%${needle}%`, shop] : [`%${needle}%`];
      const rows = (await prisma.$queryRawUnsafe(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${cast} LIKE ${p1}${scope}`, ...params)) as { n: bigint | number }[];
      if (Number(rows[0].n) > 0) hits.push(`${table}.${column} contains ${needle}`);
    }
  }
  return hits;
}
