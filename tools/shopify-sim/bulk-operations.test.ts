import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock } from "./clock.ts";
import { createShopifySimulator, type ShopifySimulator } from "./simulator.ts";
import { startTestReceiver } from "./test-receiver.ts";
import { globalId } from "./resource-ids.ts";
import { ORDER_FLAG_TEST } from "./store-model.ts";
import { JsonlChunk } from "./bulk-operations.ts";

let sim: ShopifySimulator;
let receiver: Awaited<ReturnType<typeof startTestReceiver>>;
const clock = createManualClock(Date.UTC(2026, 10, 3));

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const s = sim.shops.bulk;
  await clock.advance(30_000); // keep the bucket from throttling these tests
  const response = await sim.fetch(`https://${s.domain}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": s.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as any;
}

const RUN_QUERY = `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl type } }`;

async function runBulk(query: string) {
  const started = await gql(RUN_QUERY, { q: query });
  expect(started.data.bulkOperationRunQuery.userErrors).toEqual([]);
  const id = started.data.bulkOperationRunQuery.bulkOperation.id;
  await sim.bulk.idle();
  return (await gql(POLL, { id })).data.bulkOperation;
}

beforeAll(async () => {
  receiver = await startTestReceiver();
  sim = await createShopifySimulator({ seed: 5, clock, shops: [{ name: "bulk", targetOrders: 1200 }], appUrl: receiver.url });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe("bulk queries", () => {
  it("write JSONL with nested connection items as __parentId lines after their parent, and count objects", async () => {
    const op = await runBulk(`{ orders(query: "test:false") { edges { node { id name customer { id } lineItems { edges { node { id quantity } } } } } } }`);
    expect(op.status).toBe("COMPLETED");
    const text = await (await fetch(op.url)).text();
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l));
    const o = sim.shops.bulk.runtime.store.orders;
    let roots = 0;
    let lineItems = 0;
    for (let i = 0; i < o.count; i++) {
      if (o.flags[i] & ORDER_FLAG_TEST) continue;
      roots++;
      lineItems += o.lineStart[i + 1] - o.lineStart[i];
    }
    expect(op.rootObjectCount).toBe(String(roots));
    expect(op.objectCount).toBe(String(roots + lineItems));
    expect(lines).toHaveLength(roots + lineItems);
    expect(Number(op.fileSize)).toBe(Buffer.byteLength(text));
    const seenParents = new Set<string>();
    for (const line of lines) {
      if (line.__parentId) {
        expect(seenParents.has(line.__parentId)).toBe(true); // child after its parent
        expect(Object.keys(line).sort()).toEqual(["__parentId", "id", "quantity"]);
      } else {
        expect(line.lineItems).toBeUndefined(); // connections are not inlined
        expect(line.id).toMatch(/^gid:\/\/shopify\/Order\//);
        seenParents.add(line.id);
      }
    }
    expect(lines[0].id).toBe(globalId("Order", 0));
  });

  it("sends bulk_operations/finish to the app", async () => {
    const before = receiver.received.length;
    const op = await runBulk(`{ products { edges { node { id title } } } }`);
    await clock.advance(10);
    await sim.webhooks.idle();
    const hook = receiver.received.slice(before).find((r) => r.headers["x-shopify-topic"] === "bulk_operations/finish")!;
    expect(JSON.parse(hook.rawBody.toString())).toMatchObject({ admin_graphql_api_id: op.id, status: "completed", error_code: null, type: "query" });
  });

  it("rejects invalid bulk queries with userErrors", async () => {
    const res = await gql(RUN_QUERY, { q: `{ orders { edges { node { idx } } } }` });
    expect(res.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(res.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID" });
    expect(res.data.bulkOperationRunQuery.userErrors[0].message).toContain("Field 'idx' doesn't exist on type 'Order'");
    const deep = await gql(RUN_QUERY, { q: `{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }` });
    expect(deep.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/nested more than 2 levels/);
    const nodeRoot = await gql(RUN_QUERY, { q: `{ node(id: "x") { id } }` });
    expect(nodeRoot.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/top level `node`/);
  });

  it("fails with ACCESS_DENIED (no data) or TIMEOUT / INTERNAL_SERVER_ERROR (partial data) on demand", async () => {
    sim.injectBulkFailure("bulk", { errorCode: "ACCESS_DENIED" });
    const denied = await runBulk(`{ customers { edges { node { id } } } }`);
    expect(denied).toMatchObject({ status: "FAILED", errorCode: "ACCESS_DENIED", url: null, partialDataUrl: null, objectCount: "0" });

    for (const errorCode of ["TIMEOUT", "INTERNAL_SERVER_ERROR"] as const) {
      sim.injectBulkFailure("bulk", { errorCode, afterRootObjects: 300 });
      const failed = await runBulk(`{ customers { edges { node { id email } } } }`);
      expect(failed).toMatchObject({ status: "FAILED", errorCode, url: null, rootObjectCount: "300" });
      const partial = (await (await fetch(failed.partialDataUrl)).text()).trimEnd().split("\n");
      expect(partial).toHaveLength(300);
      expect(JSON.parse(partial[299]).id).toBe(globalId("Customer", 299));
    }
  });

  it("can be canceled: bulkOperationCancel moves it to CANCELED and the finish webhook says so", async () => {
    const started = await gql(RUN_QUERY, { q: `{ orders { edges { node { id } } } }` });
    const id = started.data.bulkOperationRunQuery.bulkOperation.id;
    const cancel = await gql(`mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }`, { id });
    expect(cancel.data.bulkOperationCancel).toEqual({ bulkOperation: { status: "CANCELING" }, userErrors: [] });
    await sim.bulk.idle();
    expect((await gql(POLL, { id })).data.bulkOperation).toMatchObject({ status: "CANCELED", url: null });
    await clock.advance(10);
    await sim.webhooks.idle();
    const finish = receiver.received.filter((r) => r.headers["x-shopify-topic"] === "bulk_operations/finish").map((r) => JSON.parse(r.rawBody.toString()));
    expect(finish.find((f) => f.admin_graphql_api_id === id)).toMatchObject({ status: "canceled" });
  });

  it("serves results only until the URL expires", async () => {
    const op = await runBulk(`{ products { edges { node { id } } } }`);
    expect((await fetch(op.url)).status).toBe(200);
    sim.expireBulkResults("bulk");
    const expired = await fetch(op.url);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("ExpiredToken");
    expect((await gql(POLL, { id: op.id })).data.bulkOperation.status).toBe("EXPIRED");
  });
});

describe("bulk mutations", () => {
  it("run a staged JSONL upload line by line and report results with __lineNumber", async () => {
    const staged = await gql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "tags.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) { stagedTargets { url parameters { name value } } userErrors { message } } }`);
    const target = staged.data.stagedUploadsCreate.stagedTargets[0];
    const key = target.parameters.find((p: any) => p.name === "key").value;
    const lines = [0, 1, 2].map((c) => JSON.stringify({ id: globalId("Customer", c), tags: ["seg:bulk"] }));
    lines.push(JSON.stringify({ id: "gid://shopify/Customer/1", tags: ["x"] }));
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    form.append("file", new Blob([lines.join("\n") + "\n"], { type: "text/jsonl" }), "tags.jsonl");
    const upload = await fetch(target.url, { method: "POST", body: form });
    expect(upload.status).toBe(201);

    const run = await gql(`mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) { bulkOperation { id type } userErrors { code field message } } }`, {
      m: `mutation tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { message } } }`,
      p: key,
    });
    expect(run.data.bulkOperationRunMutation.userErrors).toEqual([]);
    await sim.bulk.idle();
    const op = (await gql(POLL, { id: run.data.bulkOperationRunMutation.bulkOperation.id })).data.bulkOperation;
    expect(op).toMatchObject({ status: "COMPLETED", type: "MUTATION", objectCount: "4" });
    const results = (await (await fetch(op.url)).text()).trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(results.map((r) => r.__lineNumber)).toEqual([0, 1, 2, 3]);
    expect(results[0].data.tagsAdd).toEqual({ node: { id: globalId("Customer", 0) }, userErrors: [] });
    expect(results[3].data.tagsAdd.userErrors[0].message).toBe("Resource not found");
    expect(sim.shops.bulk.runtime.store.customers.tags[2]).toContain("seg:bulk");
  });

  it("refuses an unknown staged upload path with NO_SUCH_FILE", async () => {
    const run = await gql(`mutation { bulkOperationRunMutation(mutation: "mutation { shop { id } }", stagedUploadPath: "tmp/nope") { bulkOperation { id } userErrors { code field } } }`);
    expect(run.data.bulkOperationRunMutation.userErrors).toEqual([{ code: "NO_SUCH_FILE", field: ["stagedUploadPath"] }]);
  });
});

describe("a bulk result chunk", () => {
  it("holds its lines as UTF-8, one per line, whatever their characters and length, and starts over when cleared", () => {
    const chunk = new JsonlChunk();
    // Two- to four-byte characters, and a line far longer than the chunk's first buffer (1 MB).
    const lines = [`{"name":"Zoë Müller"}`, `{"price":"12 €","note":"😀"}`, JSON.stringify({ long: "é".repeat(1_500_000) }), `{"last":true}`];
    for (const line of lines) chunk.push(line);
    const expected = Buffer.from(lines.join("\n") + "\n", "utf8");
    expect(chunk.bytes().equals(expected)).toBe(true);
    expect(chunk.size).toBe(expected.length);
    expect(chunk.count).toBe(4);
    chunk.clear();
    chunk.push(`{"again":"ø"}`);
    expect(chunk.bytes().toString("utf8")).toBe(`{"again":"ø"}\n`);
    expect(chunk.count).toBe(1);
  });
});
