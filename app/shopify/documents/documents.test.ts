import { describe, expect, it } from "vitest";
import { parse, validate, type OperationDefinitionNode } from "graphql";
import { loadAdminSchema } from "../../../tests/sync/admin-schema";
import * as appInstallation from "./app-installation";
import * as bulkOperations from "./bulk-operations";
import * as reconcile from "./reconcile-queries";
import { BULK_QUERIES } from "./bulk-queries";
import { requestedQueryCost } from "../../../tools/shopify-sim/query-cost";

const documents: Record<string, string> = {};
for (const mod of [appInstallation, bulkOperations, reconcile]) {
  for (const [name, value] of Object.entries(mod)) {
    if (value && typeof value === "object" && "source" in value) documents[name] = (value as { source: string }).source;
  }
}
for (const [resource, query] of Object.entries(BULK_QUERIES)) documents[`BULK_QUERIES.${resource}`] = query;

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
      ].sort(),
    );
  });

  it.each(Object.entries(documents))("%s validates against the 2026-10 Admin schema", (_name, source) => {
    const errors = validate(loadAdminSchema(), parse(source));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it("prices a reconcile page of orders as Shopify's cost formula does, so pages never exceed the cost limit", () => {
    const operation = parse(reconcile.RECENT_ORDERS.source).definitions[0] as OperationDefinitionNode;
    const cost = (first: number) => requestedQueryCost(loadAdminSchema(), operation, {}, { first, after: null, query: "" });
    expect(cost(2) - cost(1)).toBe(reconcile.RECENT_ORDERS_NODE_COST);
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
});
