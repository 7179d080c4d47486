import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock } from "./clock.ts";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { globalId } from "./resource-ids.ts";

let sim: ShopifySimulator;
const clock = createManualClock(Date.UTC(2026, 10, 2));

async function gql(query: string, variables: Record<string, unknown> = {}, shop = "demo", token?: string) {
  const s = sim.shops[shop];
  const response = await sim.fetch(`https://${s.domain}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token ?? s.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  sim = await createShopifySimulator({
    seed: 21, clock,
    shops: [{ name: "demo", targetOrders: 1500 }, { name: "bigplus", targetOrders: 300, plan: "plus" }],
  });
});
afterAll(async () => sim.close());

describe("Admin GraphQL validation (Shopify/graphql-ruby error shape)", () => {
  it("rejects an unknown field with undefinedField, the operation-prefixed path and locations", async () => {
    const { status, body } = await gql("query {\n  shop {\n    name\n    nonsense\n  }\n}");
    expect(status).toBe(200);
    expect(body).toEqual({
      errors: [{
        message: "Field 'nonsense' doesn't exist on type 'Shop'",
        locations: [{ line: 4, column: 5 }],
        path: ["query", "shop", "nonsense"],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nonsense" },
      }],
    });
  });

  it("names the operation in the path of a named query", async () => {
    const { body } = await gql("query Sync { customers(first: 1) { nodes { idd } } }");
    expect(body.errors[0].path).toEqual(["query Sync", "customers", "nodes", "idd"]);
    expect(body.errors[0].extensions).toEqual({ code: "undefinedField", typeName: "Customer", fieldName: "idd" });
  });

  it("rejects an unknown argument with argumentNotAccepted", async () => {
    const { body } = await gql("{ customers(first: 1, limit: 5) { nodes { id } } }");
    expect(body.errors).toEqual([{
      message: "Field 'customers' doesn't accept argument 'limit'",
      locations: [{ line: 1, column: 23 }],
      path: ["query", "customers", "limit"],
      extensions: { code: "argumentNotAccepted", name: "customers", typeName: "Field", argumentName: "limit" },
    }]);
    expect(body.data).toBeUndefined();
  });

  it("rejects a missing required argument with missingRequiredArguments", async () => {
    const { body } = await gql("{ customer { id } }");
    expect(body.errors[0].message).toBe("Field 'customer' is missing required arguments: id");
    expect(body.errors[0].extensions).toEqual({ code: "missingRequiredArguments", className: "Field", name: "customer", arguments: "id" });
  });

  it("answers a real schema field it does not implement with an error naming it, never a silent null", async () => {
    const { body } = await gql("{ shop { name billingAddress { city } } }");
    expect(body.errors[0].message).toContain("billingAddress");
    expect(body.errors[0].path).toEqual(["shop", "billingAddress"]);
    expect(body.data).toBeNull();
  });
});

describe("fields the app reads", () => {
  it("resolve without errors and with schema-valid values on every record of a page", async () => {
    await clock.advance(60_000);
    const customers = await gql(`{ customers(first: 100, sortKey: UPDATED_AT, reverse: true) { nodes {
      id email firstName lastName createdAt updatedAt numberOfOrders amountSpent { amount currencyCode }
      emailMarketingConsent { marketingState } defaultAddress { country countryCodeV2 province provinceCode city }
      tags statistics { rfmGroup predictedSpendTier } } } }`);
    expect(customers.body.errors).toBeUndefined();
    for (const c of customers.body.data.customers.nodes) {
      expect(c.id).toMatch(/^gid:\/\/shopify\/Customer\/\d{19}$/);
      expect(c.numberOfOrders).toMatch(/^\d+$/);
      expect(c.amountSpent.amount).toMatch(/^\d+\.\d{2}$/);
    }
    await clock.advance(60_000);
    const orders = await gql(`{ orders(first: 16) { nodes {
      id name createdAt processedAt updatedAt cancelledAt test customer { id }
      currentTotalPriceSet { shopMoney { amount currencyCode } } totalRefundedSet { shopMoney { amount } }
      totalPriceSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } } currentSubtotalPriceSet { shopMoney { amount } }
      currentTotalTaxSet { shopMoney { amount } } currentShippingPriceSet { shopMoney { amount } } taxesIncluded sourceName channelInformation { channelDefinition { handle channelName } }
      customerJourneySummary { firstVisit { source utmParameters { source medium campaign } } }
      lineItems(first: 5) { nodes { id quantity title product { id productType vendor } discountedTotalSet { shopMoney { amount } } originalTotalSet { shopMoney { amount } } } } } } }`);
    expect(orders.body.errors).toBeUndefined();
    const store = sim.shops.demo.runtime.store;
    orders.body.data.orders.nodes.forEach((o: any, i: number) => {
      const current = Number(o.currentTotalPriceSet.shopMoney.amount);
      const refunded = Number(o.totalRefundedSet.shopMoney.amount);
      // Shopify's identities: the current total is the total less refunds, and is made of the
      // current subtotal, shipping, and the tax when prices do not include it.
      expect(current + refunded).toBeCloseTo(Number(o.totalPriceSet.shopMoney.amount), 2);
      const tax = Number(o.currentTotalTaxSet.shopMoney.amount);
      const parts = Number(o.currentSubtotalPriceSet.shopMoney.amount) + Number(o.currentShippingPriceSet.shopMoney.amount) + (o.taxesIncluded ? 0 : tax);
      expect(parts).toBeCloseTo(current, 2);
      expect(tax).toBeGreaterThanOrEqual(0);
      expect(o.customer === null).toBe(store.orders.customerIdx[i] < 0);
      const lines = o.lineItems.nodes.reduce((s: number, l: any) => s + Number(l.discountedTotalSet.shopMoney.amount), 0);
      expect(lines).toBeCloseTo(Number(o.subtotalPriceSet.shopMoney.amount), 2);
    });
    await clock.advance(60_000);
    const products = await gql(`{ products(first: 50, sortKey: TITLE) { nodes { id title productType vendor updatedAt } } }`);
    expect(products.body.errors).toBeUndefined();
    const titles = products.body.data.products.nodes.map((p: any) => p.title);
    expect(titles).toEqual([...titles].sort());
  });
});

describe("shop routing", () => {
  it("also accepts the shop in the Host header (fetch cannot set Host, so this uses node:http)", async () => {
    const { request } = await import("node:http");
    const url = new URL(sim.url);
    const body = JSON.stringify({ query: "{ shop { myshopifyDomain } }" });
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: "/admin/api/2026-10/graphql.json", method: "POST",
          headers: { Host: "bigplus.myshopify.com", "Content-Type": "application/json", "X-Shopify-Access-Token": sim.shops.bigplus.accessToken } },
        (res) => {
          let data = "";
          res.on("data", (d) => (data += d));
          res.on("end", () => resolve(data));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(JSON.parse(text).data.shop.myshopifyDomain).toBe("bigplus.myshopify.com");
  });

  it("answers 404 for an unknown shop and for other API versions", async () => {
    const unknown = await sim.fetch("https://nope.myshopify.com/admin/api/2026-10/graphql.json", { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
    const version = await sim.fetch("https://demo.myshopify.com/admin/api/2025-01/graphql.json", {
      method: "POST", headers: { "X-Shopify-Access-Token": sim.shops.demo.accessToken }, body: "{}",
    });
    expect(version.status).toBe(404);
  });
});

describe("authentication", () => {
  it("answers 401 without a token, with a made-up token, or with another shop's token", async () => {
    for (const token of ["", "shpat_made_up", sim.shops.bigplus.accessToken]) {
      const { status, body } = await gql("{ shop { name } }", {}, "demo", token);
      expect(status).toBe(401);
      expect(body.errors).toMatch(/Invalid API key or access token/);
    }
  });
});

describe("pagination", () => {
  it("visits every customer exactly once forwards (first/after) and backwards (last/before)", async () => {
    const count = sim.shops.demo.runtime.store.customers.count;
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body }: any = await gql("query($after: String) { customers(first: 97, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }", { after });
      await clock.advance(10_000); // keep the bucket full
      forward.push(...body.data.customers.edges.map((e: any) => e.node.id));
      if (!body.data.customers.pageInfo.hasNextPage) break;
      after = body.data.customers.pageInfo.endCursor;
    }
    expect(forward.length).toBe(count);
    expect(new Set(forward).size).toBe(count);
    expect(forward[0]).toBe(globalId("Customer", 0));

    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const { body }: any = await gql("query($before: String) { customers(last: 113, before: $before) { nodes { id } pageInfo { hasPreviousPage startCursor } } }", { before });
      await clock.advance(10_000);
      backward.unshift(...body.data.customers.nodes.map((n: any) => n.id));
      if (!body.data.customers.pageInfo.hasPreviousPage) break;
      before = body.data.customers.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
  });

  it("filters with updated_at:>'…' sorted by UPDATED_AT and returns exactly the matching orders in order", async () => {
    const orders = sim.shops.demo.runtime.store.orders;
    const cutoff = "2026-01-01T00:00:00Z";
    const expected: { id: string; updatedAt: number }[] = [];
    for (let i = 0; i < orders.count; i++) if (orders.updatedAt[i] > Date.parse(cutoff)) expected.push({ id: globalId("Order", i), updatedAt: orders.updatedAt[i] });
    expected.sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : 1));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { body }: any = await gql(
        "query($after: String, $q: String) { orders(first: 50, after: $after, sortKey: UPDATED_AT, query: $q) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }",
        { after, q: `updated_at:>'${cutoff}'` },
      );
      await clock.advance(10_000);
      seen.push(...body.data.orders.nodes.map((n: any) => n.id));
      after = body.data.orders.pageInfo.hasNextPage ? body.data.orders.pageInfo.endCursor : null;
    } while (after);
    expect(expected.length).toBeGreaterThan(50);
    expect(seen).toEqual(expected.map((e) => e.id));
  });

  it("filters customers by tag case-insensitively and by email", async () => {
    const store = sim.shops.demo.runtime.store;
    const vip = store.customers.tags.filter((t) => t?.includes("VIP")).length;
    const { body } = await gql("{ customers(first: 250, query: \"tag:vip\") { nodes { id tags } } }");
    expect(body.data.customers.nodes.length).toBe(vip);
    for (const node of body.data.customers.nodes) expect(node.tags).toContain("VIP");
    const { body: one } = await gql("{ customers(first: 5) { nodes { email } } }");
    const email = one.data.customers.nodes[3].email;
    const { body: byEmail } = await gql(`{ customers(first: 5, query: "email:${email}") { nodes { email } } }`);
    expect(byEmail.data.customers.nodes).toEqual([{ email }]);
  });

  it("refuses a page above 250 and a query without first or last", async () => {
    const { body } = await gql("{ customers(first: 251) { nodes { id } } }");
    expect(body.errors[0].message).toMatch(/between 0 and 250/);
    const { body: none } = await gql("{ orders { nodes { id } } }");
    expect(none.errors[0].message).toMatch(/first or last/);
  });
});

describe("cost and throttling", () => {
  const expensive = "{ customers(first: 250) { nodes { id amountSpent { amount } } } }"; // 2 + 250 × 2 = 502

  it("reports requested and actual cost per Shopify's rules", async () => {
    await clock.advance(60_000);
    const { body } = await gql("{ shop { name } orders(first: 10) { nodes { id customer { id } lineItems(first: 3) { nodes { id } } } } }");
    // shop 1 + orders [2 + 10 × (node 1 + customer 1 + lineItems (2 + 3 × 1))] = 1 + 72 = 73
    expect(body.extensions.cost.requestedQueryCost).toBe(73);
    // Actual cost counts the line items really returned (1–5 per order, at most 3 requested).
    const orders = sim.shops.demo.runtime.store.orders;
    let actual = 1 + 2;
    for (let i = 0; i < 10; i++) actual += 1 + 1 + 2 + Math.min(3, orders.lineStart[i + 1] - orders.lineStart[i]);
    expect(body.extensions.cost.actualQueryCost).toBe(actual);
  });

  it("throttles a standard shop after 2,000 points and recovers at 100 points/s", async () => {
    await clock.advance(60_000); // bucket full again
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await gql(expensive);
      expect(body.extensions.cost.requestedQueryCost).toBe(502);
      statuses.push(body.extensions.cost.throttleStatus.currentlyAvailable);
    }
    expect(statuses).toEqual([1498, 996, 494]);
    const throttled = await gql(expensive);
    expect(throttled.body.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
    expect(throttled.body.extensions.cost).toEqual({
      requestedQueryCost: 502, actualQueryCost: null,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 494, restoreRate: 100 },
    });
    await clock.advance(70); // 494 + 7 = 501 < 502
    expect((await gql(expensive)).body.errors?.[0].extensions.code).toBe("THROTTLED");
    await clock.advance(20); // 503 ≥ 502
    const recovered = await gql(expensive);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(1);
  });

  it("gives Plus shops a 20,000-point bucket restoring 1,000/s", async () => {
    const { body } = await gql("{ shop { name } }", {}, "bigplus");
    expect(body.extensions.cost.throttleStatus).toEqual({ maximumAvailable: 20000, currentlyAvailable: 19999, restoreRate: 1000 });
  });

  it("refuses a single query above 1,000 points with MAX_COST_EXCEEDED without charging the bucket", async () => {
    await clock.advance(60_000);
    const { body } = await gql("{ customers(first: 250) { nodes { id orders(first: 5) { nodes { id } } } } }");
    expect(body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * (1 + 2 + 5), maxCost: 1000 });
    const { body: after } = await gql("{ shop { name } }");
    expect(after.extensions.cost.throttleStatus.currentlyAvailable).toBe(1999);
  });
});

describe("mutations", () => {
  it("tagsAdd is case-insensitive, tagsRemove removes, customerUpdate replaces; updatedAt moves", async () => {
    await clock.advance(60_000);
    const id = globalId("Customer", 5);
    const before = (await gql(`{ customer(id: "${id}") { updatedAt tags } }`)).body.data.customer;
    const added = await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["seg:at-risk", "SEG:AT-RISK", "x, y"]) { node { ... on Customer { tags } } userErrors { field message } } }`, { id });
    expect(added.body.data.tagsAdd.userErrors).toEqual([]);
    const tags: string[] = added.body.data.tagsAdd.node.tags;
    expect(tags.filter((t) => t.toLowerCase() === "seg:at-risk")).toHaveLength(1);
    expect(tags).toEqual(expect.arrayContaining(["x", "y", ...before.tags]));
    const removed = await gql(`mutation($id: ID!) { tagsRemove(id: $id, tags: ["SEG:At-Risk"]) { node { ... on Customer { tags } } userErrors { message } } }`, { id });
    expect(removed.body.data.tagsRemove.node.tags).not.toContain("seg:at-risk");
    const replaced = await gql(`mutation($input: CustomerInput!) { customerUpdate(input: $input) { customer { tags updatedAt } userErrors { field message } } }`, { input: { id, tags: ["only"] } });
    expect(replaced.body.data.customerUpdate.customer.tags).toEqual(["only"]);
    expect(Date.parse(replaced.body.data.customerUpdate.customer.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
  });

  it("tagsAdd refuses to exceed 250 tags with a userError and leaves tags unchanged", async () => {
    await clock.advance(60_000);
    const id = globalId("Customer", 6);
    // Up to exactly 250 with the tags the generated customer already has.
    const existing: string[] = (await gql(`{ customer(id: "${id}") { tags } }`)).body.data.customer.tags;
    const many = Array.from({ length: 250 - existing.length }, (_, i) => `t${i}`);
    expect((await gql(`mutation($id: ID!, $t: [String!]!) { tagsAdd(id: $id, tags: $t) { userErrors { message } } }`, { id, t: many })).body.data.tagsAdd.userErrors).toEqual([]);
    const over = await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["one-too-many"]) { node { id } userErrors { field message } } }`, { id });
    expect(over.body.data.tagsAdd.userErrors).toEqual([{ field: ["tags"], message: "Tags cannot be more than 250" }]);
    const now = await gql(`{ customer(id: "${id}") { tags } }`);
    expect(now.body.data.customer.tags).toHaveLength(250);
  });

  it("segmentCreate requires a unique name and segments lists what was created", async () => {
    await clock.advance(60_000);
    const create = (name: string) => gql(`mutation { segmentCreate(name: "${name}", query: "customer_tags CONTAINS 'seg:vip'") { segment { id name query } userErrors { field message } } }`);
    const first = await create("At risk");
    expect(first.body.data.segmentCreate.userErrors).toEqual([]);
    const dup = await create("at risk");
    expect(dup.body.data.segmentCreate).toEqual({ segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] });
    const list = await gql("{ segments(first: 10) { nodes { id name } } }");
    expect(list.body.data.segments.nodes).toEqual([{ id: first.body.data.segmentCreate.segment.id, name: "At risk" }]);
  });

  it("node and nodes resolve our gids and return null for unknown ones", async () => {
    const { body } = await gql(`{ nodes(ids: ["${globalId("Order", 3)}", "${globalId("Customer", 999999)}", "gid://shopify/Order/1"]) { id ... on Order { name } } node(id: "${globalId("Product", 2)}") { ... on Product { productType vendor } } }`);
    expect(body.data.nodes).toEqual([{ id: globalId("Order", 3), name: "#1004" }, null, null]);
    expect(body.data.node.productType).toBeTruthy();
  });
});
