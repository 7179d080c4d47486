import { describe, expect, it } from "vitest";
import { Kind, parse, print, validate, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { loadAdminSchema } from "../../../tests/sync/admin-schema";
import { TypedDocumentString } from "../generated/admin.generated";
import * as appInstallation from "./app-installation";
import * as bulkOperations from "./bulk-operations";
import * as reconcile from "./reconcile-queries";
import * as tagPush from "./tag-push";
import { BULK_QUERIES } from "./bulk-queries";
import { inlineFragments } from "./inline-fragments";
import { requestedQueryCost } from "../../../tools/shopify-sim/query-cost";

const documents: Record<string, string> = {};
for (const mod of [appInstallation, bulkOperations, reconcile, tagPush]) {
  for (const [name, value] of Object.entries(mod)) {
    if (value instanceof TypedDocumentString) documents[name] = value.toString();
  }
}
for (const [resource, query] of Object.entries(BULK_QUERIES)) documents[`BULK_QUERIES.${resource}`] = query;
// The tag push's aliased batches, at their smallest and largest.
documents["tagBatchDocument(add, 1)"] = tagPush.tagBatchDocument("add", 1).toString();
documents["tagBatchDocument(remove, 90)"] = tagPush.tagBatchDocument("remove", 90).toString();

describe("Admin GraphQL documents", () => {
  it("finds every document the sync sends", () => {
    expect(Object.keys(documents).sort()).toEqual(
      [
        "SHOP_DETAILS",
        "BULK_OPERATION_BY_ID",
        "BULK_OPERATION_RUN_QUERY",
        "BULK_QUERIES.customers",
        "BULK_QUERIES.orders",
        "BULK_QUERIES.products",
        "RECENT_CUSTOMERS",
        "RECENT_ORDERS",
        "RECORD_COUNTS",
        "NATIVE_SEGMENT_CREATE",
        "NATIVE_SEGMENT_DELETE",
        "NATIVE_SEGMENT_UPDATE",
        "TAG_PUSH_ADD",
        "TAG_PUSH_BULK_MUTATION",
        "TAG_PUSH_REMOVE",
        "TAG_PUSH_STAGED_UPLOAD",
        "tagBatchDocument(add, 1)",
        "tagBatchDocument(remove, 90)",
      ].sort(),
    );
  });

  it.each(Object.entries(documents))("%s validates against the 2026-10 Admin schema", (_name, source) => {
    const errors = validate(loadAdminSchema(), parse(source));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("prices a reconcile page of orders as Shopify's cost formula does, so pages never exceed the cost limit", () => {
    const definitions = parse(reconcile.RECENT_ORDERS.toString()).definitions;
    const operation = definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const fragments = Object.fromEntries(
      definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const variables = (first: number) => ({ first, after: null, query: "", lineItemsPerOrder: reconcile.RECONCILE_LINE_ITEMS_PER_ORDER });
    const cost = (first: number) => requestedQueryCost(loadAdminSchema(), operation, fragments, variables(first));
    expect(cost(2) - cost(1)).toBe(reconcile.RECENT_ORDERS_NODE_COST);
  });

  it("prices the largest aliased tag batch under Shopify's 1,000-point query limit, within our per-customer budget", () => {
    const definitions = parse(tagPush.tagBatchDocument("add", 90).toString()).definitions;
    const operation = definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const cost = requestedQueryCost(loadAdminSchema(), operation, {}, {});
    expect(cost).toBeLessThanOrEqual(90 * tagPush.TAG_MUTATION_COST);
    expect(cost).toBeLessThanOrEqual(1000);
  });

  it("rejects a field the schema does not have (the check is real)", () => {
    const errors = validate(loadAdminSchema(), parse("query { shop { notAField } }"));
    expect(errors.length).toBe(1);
  });

  it("bulk queries respect Shopify's limits: ≤ 5 connections, ≤ 2 levels of nesting", () => {
    for (const query of Object.values(BULK_QUERIES)) {
      const connections = query.match(/\bedges\s*\{/g) ?? [];
      expect(connections.length).toBeGreaterThanOrEqual(1);
      expect(connections.length).toBeLessThanOrEqual(2);
    }
  });

  it("bulk queries are sent as one self-contained operation, fragments written out", () => {
    for (const query of Object.values(BULK_QUERIES)) {
      const definitions = parse(query).definitions;
      expect(definitions.map((d) => d.kind)).toEqual(["OperationDefinition"]);
      expect(query).not.toContain("...");
    }
  });
});

describe("inlineFragments", () => {
  it("writes nested spreads out in place and drops the fragment definitions", () => {
    const source = `
      query Orders { orders { nodes { ...Order lineItems { nodes { ...Line } } } } }
      fragment Order on Order { id customer { ...Customer } }
      fragment Customer on Customer { id email }
      fragment Line on LineItem { id quantity }`;
    const expected = `query Orders { orders { nodes { id customer { id email } lineItems { nodes { id quantity } } } } }`;
    expect(inlineFragments(source)).toBe(print(parse(expected)));
  });

  it("refuses a spread of a fragment the document does not define", () => {
    expect(() => inlineFragments("query { shop { ...Missing } }")).toThrow(/unknown fragment Missing/);
  });
});
