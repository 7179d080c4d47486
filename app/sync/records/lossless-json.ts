/**
 * JSON.parse that keeps integers beyond 2^53 as their exact decimal text. Shopify's webhook
 * payloads carry numeric ids (`id`, `product_id`, `customer.id`) that can exceed JavaScript's
 * safe integers; plain JSON.parse would silently round them. Node ≥ 22 passes the source text
 * of each primitive to the reviver (TC39 "JSON.parse source text access"), so nothing is lost.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(text, function reviver(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source) {
      return context.source;
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}
