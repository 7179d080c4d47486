// The `shopify` global the admin gives the extension's module (the format `shopify app dev` writes).
import "@shopify/ui-extensions";

declare module "./src/CustomerCardBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.customer-details.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
