import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/db/test-database";
import { createAdminApiClient } from "../../shopify/admin-api-client";
import { reconcileShop } from "./reconcile";

const SHOP = "rc.myshopify.com";

describe("reconcileShop", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
  });
  afterAll(async () => db?.drop());

  it("halves the page size when Shopify says the query costs too much, then carries on", async () => {
    const firsts: number[] = [];
    const fetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body));
      firsts.push(body.variables.first);
      const json =
        body.variables.first > 2
          ? { errors: [{ message: "Query cost is 1280, which exceeds the single query max cost limit (1000).", extensions: { code: "MAX_COST_EXCEEDED" } }] }
          : { data: { orders: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } };
      return new Response(JSON.stringify(json), { headers: { "content-type": "application/json" } });
    }) as typeof globalThis.fetch;
    const api = createAdminApiClient({ shop: SHOP, accessToken: "t", endpoint: "http://127.0.0.1:1/graphql.json", fetch });
    const result = await reconcileShop({ prisma: db.prisma, database: db.config, dialect: "sqlite", jobs: { enqueue: async () => {}, cancelShopJobs: async () => {} } }, api, SHOP, {
      orderIds: ["gid://shopify/Order/1"],
    });
    expect(result).toEqual({ orders: 0, customers: 0 });
    expect(firsts).toEqual([8, 4, 2]);
  });
});
