/**
 * What the tag push needs from the simulator (issue 11 item 9), as Shopify 2026-10 does it:
 * tagsAdd/tagsRemove cost and their customer.tags_added/removed webhooks, native segments
 * (create, update, delete), deleted customers, a spent rate limit, and a bulk mutation failing
 * midway with partial results by __lineNumber.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "./clock.ts";
import { globalId } from "./resource-ids.ts";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { startTestReceiver } from "./test-receiver.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup() {
  const receiver = await startTestReceiver();
  const clock = createManualClock(Date.UTC(2026, 10, 5, 12));
  const sim: ShopifySimulator = await createShopifySimulator({ seed: 4, clock, shops: [{ name: "tags", targetOrders: 400 }], appUrl: receiver.url });
  cleanups.push(() => receiver.close(), () => sim.close());
  const shop = sim.shops.tags;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await sim.fetch(`https://${shop.domain}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": shop.accessToken },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };
  const delivered = async (topic: string) => {
    await clock.advance(10);
    await sim.webhooks.idle();
    return receiver.received.filter((r) => r.headers["x-shopify-topic"] === topic).map((r) => JSON.parse(r.rawBody.toString()));
  };
  return { sim, clock, gql, delivered, shop };
}

describe("simulator: what a tag push needs", () => {
  it("sends customer.tags_added / customer.tags_removed with only the tags that changed, and nothing when nothing changed", async () => {
    const { gql, delivered } = await setup();
    const id = globalId("Customer", 3);
    await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["ci-vip", "newsletter"]) { userErrors { message } } }`, { id });
    await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["CI-VIP"]) { userErrors { message } } }`, { id });
    await gql(`mutation($id: ID!) { tagsRemove(id: $id, tags: ["ci-vip", "never-had"]) { userErrors { message } } }`, { id });
    const added = await delivered("customer.tags_added");
    expect(added).toEqual([{ customerId: id, tags: ["ci-vip", "newsletter"], occurredAt: expect.any(String) }]);
    expect(await delivered("customer.tags_removed")).toEqual([{ customerId: id, tags: ["ci-vip"], occurredAt: expect.any(String) }]);
  });

  it("charges 10 points per aliased tagsAdd (its payload included), so 90 stay under the 1,000-point query limit", async () => {
    const { gql } = await setup();
    const fields = Array.from({ length: 90 }, (_, i) => `c${i}: tagsAdd(id: $id${i}, tags: $tags) { userErrors { field message } }`).join("\n");
    const variables: Record<string, unknown> = { tags: ["ci-batch"] };
    for (let i = 0; i < 90; i++) variables[`id${i}`] = globalId("Customer", i);
    const vars = Array.from({ length: 90 }, (_, i) => `$id${i}: ID!`).join(", ");
    const body = await gql(`mutation Batch($tags: [String!]!, ${vars}) {\n${fields}\n}`, variables);
    expect(body.errors).toBeUndefined();
    expect(body.extensions.cost.requestedQueryCost).toBe(900);
    expect(body.data.c89.userErrors).toEqual([]);
  });

  it("segmentUpdate renames (names stay unique) and segmentDelete removes a native segment", async () => {
    const { gql } = await setup();
    const make = (name: string) => gql(`mutation($n: String!) { segmentCreate(name: $n, query: "customer_tags CONTAINS 'ci-vip'") { segment { id } userErrors { message } } }`, { n: name });
    const id = (await make("VIP")).data.segmentCreate.segment.id;
    await make("Loyal");
    const renamed = await gql(`mutation($id: ID!) { segmentUpdate(id: $id, name: "Trouwe klanten") { segment { name query } userErrors { field message } } }`, { id });
    expect(renamed.data.segmentUpdate).toEqual({ segment: { name: "Trouwe klanten", query: "customer_tags CONTAINS 'ci-vip'" }, userErrors: [] });
    const clash = await gql(`mutation($id: ID!) { segmentUpdate(id: $id, name: "loyal") { segment { name } userErrors { field message } } }`, { id });
    expect(clash.data.segmentUpdate).toEqual({ segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] });
    const deleted = await gql(`mutation($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { message } } }`, { id });
    expect(deleted.data.segmentDelete).toEqual({ deletedSegmentId: id, userErrors: [] });
    const again = await gql(`mutation($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { field message } } }`, { id });
    expect(again.data.segmentDelete.userErrors).toEqual([{ field: ["id"], message: "Segment does not exist" }]);
    expect((await gql("{ segments(first: 10) { nodes { name } } }")).data.segments.nodes).toEqual([{ name: "Loyal" }]);
  });

  it("a deleted customer cannot be tagged (Resource not found) or read, and customers/delete is sent", async () => {
    const { sim, gql, delivered } = await setup();
    const id = globalId("Customer", 5);
    sim.deleteCustomer("tags", 5);
    const result = await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["ci-vip"]) { userErrors { field message } } }`, { id });
    expect(result.data.tagsAdd.userErrors).toEqual([{ field: ["id"], message: "Resource not found" }]);
    expect((await gql(`{ customer(id: "${id}") { id } }`)).data.customer).toBeNull();
    expect((await delivered("customers/delete")).map((p) => p.admin_graphql_api_id)).toEqual([id]);
  });

  it("drainRateLimit makes the next request THROTTLED until the bucket refills", async () => {
    const { sim, clock, gql } = await setup();
    sim.drainRateLimit("tags");
    const throttled = await gql("{ shop { name } }");
    expect(throttled.errors[0].extensions.code).toBe("THROTTLED");
    await clock.advance(1_000);
    expect((await gql("{ shop { name } }")).data.shop.name).toBeTruthy();
  });

  it("a bulk tagsAdd failing midway tags only the lines it ran and reports them by __lineNumber in the partial data", async () => {
    const { sim, gql } = await setup();
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: globalId("Customer", i), tags: ["ci-bulk"] })).join("\n") + "\n";
    const staged = (await gql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "t.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } } }`)).data.stagedUploadsCreate.stagedTargets[0];
    const form = new FormData();
    for (const p of staged.parameters) form.append(p.name, p.value);
    form.append("file", new Blob([lines]), "t.jsonl");
    expect((await fetch(staged.url, { method: "POST", body: form })).status).toBe(201);
    const key = staged.parameters.find((p: { name: string }) => p.name === "key").value;
    sim.injectBulkFailure("tags", { errorCode: "INTERNAL_SERVER_ERROR", afterRootObjects: 15 });
    const run = await gql(`mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) { bulkOperation { id } userErrors { message } } }`, {
      m: "mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }",
      p: key,
    });
    await sim.bulk.idle();
    const op = (await gql(`query($id: ID!) { bulkOperation(id: $id) { status errorCode partialDataUrl } }`, { id: run.data.bulkOperationRunMutation.bulkOperation.id })).data.bulkOperation;
    expect(op).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR" });
    const partial = (await (await fetch(op.partialDataUrl)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(partial.map((l) => l.__lineNumber)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    const tagged = Array.from({ length: 40 }, (_, i) => i).filter((i) => (sim.shops.tags.runtime.store.customers.tags[i] ?? []).includes("ci-bulk"));
    expect(tagged).toEqual(Array.from({ length: 15 }, (_, i) => i));
  });
});
