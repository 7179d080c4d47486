/**
 * The builder's product, product type, vendor and tag pickers (GET /app/segments/value-options),
 * on SQLite and PostgreSQL: a search finds the session shop's products by title (case-insensitive,
 * wildcards literal) or by id, never another shop's; product ids a rule already holds come back
 * with their titles, a product deleted from the store by the title its order lines carry; types
 * and vendors are the distinct values of the shop's products, tags those of its customers, as
 * written; a bad request is a 400.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type OptionsRoute = typeof import("~/routes/app.segments.value-options");

const SHOP = "picker-shop.myshopify.com";
const OTHER_SHOP = "picker-other.myshopify.com";
const product = (n: number) => `gid://shopify/Product/${n}`;

describe.each(TEST_DIALECTS)("segment value pickers on %s", (dialect) => {
  let app: AppUnderTest;
  let route: OptionsRoute;

  const ask = async (query: string, shop = SHOP) => {
    const request = new Request(`${APP_URL}/app/segments/value-options?${query}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` } });
    const response = (await responseOf(() => route.loader({ request, params: {}, context: {} }))) as Response;
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<OptionsRoute>("~/routes/app.segments.value-options");
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
    const { prisma } = app.db;
    await prisma.product.createMany({
      data: [
        { shop: SHOP, shopifyId: product(1), title: "Green Tea", productType: "Tea", vendor: "Nordic Leaf" },
        { shop: SHOP, shopifyId: product(2), title: "Earl Grey tea", productType: "Tea", vendor: "Acme" },
        { shop: SHOP, shopifyId: product(3), title: "Teapot", productType: "Kitchen", vendor: "Acme" },
        { shop: SHOP, shopifyId: product(4), title: "100% Cotton Bag", productType: null, vendor: "" },
        { shop: SHOP, shopifyId: product(5), title: "Mug", productType: "Kitchen", vendor: "Zuid" },
        { shop: OTHER_SHOP, shopifyId: product(6), title: "Tea of another shop", productType: "Secret tea", vendor: "Other vendor" },
      ],
    });
    // Customers' tags (the tag rows follow Customer.tags: decision 028); another shop's stay its own.
    await prisma.customer.createMany({
      data: [
        { shop: SHOP, shopifyId: "gid://shopify/Customer/1", tags: JSON.stringify(["vip", "newsletter", "50%-off"]) },
        { shop: SHOP, shopifyId: "gid://shopify/Customer/2", tags: JSON.stringify(["vip", "wholesale"]) },
        { shop: SHOP, shopifyId: "gid://shopify/Customer/3", tags: JSON.stringify(["VIP Gold"]) },
        { shop: OTHER_SHOP, shopifyId: "gid://shopify/Customer/4", tags: JSON.stringify(["vip-secret"]) },
      ],
    });
    // A product sold, then deleted from the store: only its order lines know its title.
    const order = await prisma.order.create({ data: { shop: SHOP, shopifyId: "gid://shopify/Order/1", totalPrice: "10", shopifyCreatedAt: new Date("2026-01-01T00:00:00Z") } });
    await prisma.orderLine.create({ data: { shop: SHOP, orderId: order.id, shopifyId: "gid://shopify/LineItem/1", productShopifyId: product(9), title: "Matcha (retired)", quantity: 1, amount: "10" } });
  }, 60_000);
  afterAll(async () => app?.close());

  it("finds the shop's products by title, case-insensitively, sorted by title; never another shop's", async () => {
    const { status, body } = await ask("field=product&q=tea");
    expect(status).toBe(200);
    expect(body).toEqual({
      status: "ok",
      options: [
        { value: product(2), label: "Earl Grey tea" },
        { value: product(1), label: "Green Tea" },
        { value: product(3), label: "Teapot" },
      ],
      selected: [],
    });
    // The other shop's session sees only its own product.
    expect((await ask("field=product&q=tea", OTHER_SHOP)).body.options).toEqual([{ value: product(6), label: "Tea of another shop" }]);
  });

  it("takes % and _ in a search literally, and finds a product by its number", async () => {
    expect((await ask("field=product&q=100%25")).body.options).toEqual([{ value: product(4), label: "100% Cotton Bag" }]);
    expect((await ask("field=product&q=_")).body.options).toEqual([]);
    expect((await ask("field=product&q=5")).body.options).toEqual([{ value: product(5), label: "Mug" }]);
  });

  it("names the products a rule holds: by the store's title, a deleted product by its order lines', an unknown id as itself", async () => {
    const query = new URLSearchParams({ field: "product", q: "zzz" });
    for (const id of [product(3), product(9), product(77), product(6)]) query.append("selected", id);
    const { body } = await ask(query.toString());
    expect(body.selected).toEqual([
      { value: product(3), label: "Teapot" },
      { value: product(9), label: "Matcha (retired)" },
      { value: product(77), label: product(77) },
      // Another shop's product is not this shop's: no title leaks.
      { value: product(6), label: product(6) },
    ]);
  });

  it("offers the shop's distinct product types and vendors, without empty ones", async () => {
    expect((await ask("field=productType&q=")).body.options).toEqual([
      { value: "Kitchen", label: "Kitchen" },
      { value: "Tea", label: "Tea" },
    ]);
    expect((await ask("field=vendor&q=a")).body.options).toEqual([
      { value: "Acme", label: "Acme" },
      { value: "Nordic Leaf", label: "Nordic Leaf" },
    ]);
    expect((await ask("field=vendor&q=&selected=Zuid")).body.selected).toEqual([{ value: "Zuid", label: "Zuid" }]);
  });

  it("offers the tags the shop's customers hold, each once and as written, found in any case", async () => {
    expect((await ask("field=tag&q=vip")).body.options).toEqual([
      { value: "VIP Gold", label: "VIP Gold" },
      { value: "vip", label: "vip" },
    ]);
    expect((await ask("field=tag&q=")).body.options.map((o: { value: string }) => o.value)).toEqual(["50%-off", "VIP Gold", "newsletter", "vip", "wholesale"]);
    expect((await ask("field=tag&q=%25")).body.options).toEqual([{ value: "50%-off", label: "50%-off" }]);
    expect((await ask("field=tag&q=secret")).body.options).toEqual([]);
    expect((await ask("field=tag&q=vip", OTHER_SHOP)).body.options).toEqual([{ value: "vip-secret", label: "vip-secret" }]);
    expect((await ask("field=tag&q=&selected=vip")).body.selected).toEqual([{ value: "vip", label: "vip" }]);
  });

  it("refuses a field that is not a picker's, and an overlong search", async () => {
    expect((await ask("field=email&q=a")).status).toBe(400);
    expect((await ask(`field=product&q=${"x".repeat(101)}`)).status).toBe(400);
  });
});
