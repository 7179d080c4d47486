import { it } from "vitest";
import { createShopifySimulator } from "../../tools/shopify-sim/simulator";
import { CUSTOMER_FIELDS, ORDER_FIELDS, LINE_ITEM_FIELDS, PRODUCT_FIELDS } from "../../app/shopify/documents/record-selections";
it("debug2", async () => {
  const sim = await createShopifySimulator({ shops: [{ name: "d", targetOrders: 100 }] });
  for (const q of [`{ customers(first: 2) { nodes { ${CUSTOMER_FIELDS} } } }`, `{ orders(first: 2) { nodes { ${ORDER_FIELDS} lineItems(first: 5) { nodes { ${LINE_ITEM_FIELDS} } } } } }`, `{ products(first: 2) { nodes { ${PRODUCT_FIELDS} } } }`]) {
    const r = await fetch(sim.graphqlUrl("d"), { method: "POST", headers: { "content-type": "application/json", "x-shopify-access-token": sim.shops.d.accessToken }, body: JSON.stringify({ query: q }) });
    console.log((await r.text()).slice(0, 1500));
  }
  await sim.close();
});
