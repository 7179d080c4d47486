import { describe, expect, it } from "vitest";
import { customerIdFromPageNumber, customerPagePath } from "./customer-page-path";

describe("the customer page's address", () => {
  it("carries the number of the Shopify customer id and gives the same id back", () => {
    expect(customerPagePath("gid://shopify/Customer/7003")).toBe("/app/customers/7003");
    expect(customerIdFromPageNumber("7003")).toBe("gid://shopify/Customer/7003");
  });

  it("has no address for ids that are not Shopify customer ids, and no id for other numbers", () => {
    expect(customerPagePath("gid://shopify/Order/7003")).toBeNull();
    expect(customerPagePath("7003")).toBeNull();
    for (const bad of [undefined, "", "0", "007", "12a", "1".repeat(21), "-5"]) expect(customerIdFromPageNumber(bad)).toBeNull();
  });
});
