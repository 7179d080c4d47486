/**
 * Root fields of the simulated Admin API: the queries and mutations the app uses. Any other
 * root field is absent here and therefore answers with a "not implemented" error.
 */
import type { GraphQLResolveInfo } from "graphql";
import { GraphQLError } from "graphql";
import { parseResourceId } from "./resource-ids.ts";
import {
  customerSearch, customerSorted, customerView, orderSearch, orderSorted, orderView, productSearch,
  productSorted, productView, resolveConnection, segmentView, shopView, lineItemView, type ResolverContext,
} from "./resource-views.ts";
import type { PageArgs, SortedRows } from "./connection-pager.ts";
import { addTags, removeTags, splitTagInput, type ShopRuntime } from "./shop-runtime.ts";

type Args = Record<string, unknown>;
type RootResolver = (args: Args, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown;

/** Resolves any of our gids to its view, or null when it does not exist (as Shopify's `node` does). */
function nodeById(runtime: ShopRuntime, id: string): object | null {
  const parsed = parseResourceId(id);
  if (!parsed) return null;
  const { type, sequence } = parsed;
  const store = runtime.store;
  switch (type) {
    case "Customer": return sequence < store.customers.count && !runtime.deletedCustomers.has(sequence) ? customerView(runtime, sequence) : null;
    case "Order": return sequence < store.orders.count ? orderView(runtime, sequence) : null;
    case "Product": return sequence < store.products.length ? productView(runtime, sequence) : null;
    case "LineItem": return sequence < store.orders.lineStart[store.orders.count] ? lineItemView(runtime, sequence) : null;
    case "Segment": {
      const index = runtime.segments.findIndex((s) => s.sequence === sequence);
      return index >= 0 ? segmentView(runtime, index) : null;
    }
    default: return null;
  }
}

function taggable(runtime: ShopRuntime, id: string): { get: () => string[]; set: (tags: string[]) => void; view: () => object } | null {
  const parsed = parseResourceId(id);
  if (!parsed) return null;
  const store = runtime.store;
  const { type, sequence } = parsed;
  if (type === "Customer" && sequence < store.customers.count && !runtime.deletedCustomers.has(sequence)) {
    return {
      get: () => store.customers.tags[sequence] ?? [],
      set: (tags) => {
        const before = store.customers.tags[sequence] ?? [];
        store.customers.tags[sequence] = tags.length ? tags : undefined;
        runtime.touchCustomer(sequence);
        const had = new Set(before.map((t) => t.toLowerCase()));
        const has = new Set(tags.map((t) => t.toLowerCase()));
        const added = tags.filter((t) => !had.has(t.toLowerCase()));
        const removed = before.filter((t) => !has.has(t.toLowerCase()));
        if (added.length || removed.length) runtime.onCustomerTags?.(sequence, added, removed);
      },
      view: () => customerView(runtime, sequence),
    };
  }
  if (type === "Order" && sequence < store.orders.count) {
    return {
      get: () => store.orders.tags.get(sequence) ?? [],
      set: (tags) => {
        store.orders.tags.set(sequence, tags);
        runtime.touchOrder(sequence);
      },
      view: () => orderView(runtime, sequence),
    };
  }
  if (type === "Product" && sequence < store.products.length) {
    return {
      get: () => store.products[sequence].tags,
      set: (tags) => {
        store.products[sequence].tags = tags;
        store.products[sequence].updatedAt = runtime.clock.now();
        store.version++;
      },
      view: () => productView(runtime, sequence),
    };
  }
  return null;
}

function tagsMutation(mode: "add" | "remove"): RootResolver {
  return (args, ctx) => {
    const target = taggable(ctx.runtime, String(args.id));
    if (!target) return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    const tags = splitTagInput(args.tags as string[]);
    if (mode === "remove") {
      target.set(removeTags(target.get(), tags));
      return { node: target.view(), userErrors: [] };
    }
    const result = addTags(target.get(), tags);
    if ("error" in result) return { node: null, userErrors: [{ field: ["tags"], message: result.error }] };
    target.set(result.tags);
    return { node: target.view(), userErrors: [] };
  };
}

export const queryResolvers: Record<string, RootResolver> = {
  shop: (_args, ctx) => shopView(ctx.runtime),
  customers: (args, ctx, info) =>
    resolveConnection(ctx, info, "Customer", customerSorted(ctx.runtime, args.sortKey as string), args as PageArgs, customerSearch(ctx.runtime.store), customerView),
  orders: (args, ctx, info) =>
    resolveConnection(ctx, info, "Order", orderSorted(ctx.runtime, args.sortKey as string), args as PageArgs, orderSearch(ctx.runtime.store), orderView),
  products: (args, ctx, info) =>
    resolveConnection(ctx, info, "Product", productSorted(ctx.runtime, args.sortKey as string), args as PageArgs, productSearch(ctx.runtime.store), productView),
  segments: (args, ctx, info) => {
    const segs = ctx.runtime.segments;
    const sorted: SortedRows = { length: segs.length, rowAt: (p) => p, sortValue: (r) => segs[r].sequence };
    return resolveConnection(ctx, info, "Segment", sorted, args as PageArgs, null, segmentView);
  },
  customer: (args, ctx) => {
    const p = parseResourceId(String(args.id), "Customer");
    return p && p.sequence < ctx.runtime.store.customers.count && !ctx.runtime.deletedCustomers.has(p.sequence) ? customerView(ctx.runtime, p.sequence) : null;
  },
  order: (args, ctx) => {
    const p = parseResourceId(String(args.id), "Order");
    return p && p.sequence < ctx.runtime.store.orders.count ? orderView(ctx.runtime, p.sequence) : null;
  },
  product: (args, ctx) => {
    const p = parseResourceId(String(args.id), "Product");
    return p && p.sequence < ctx.runtime.store.products.length ? productView(ctx.runtime, p.sequence) : null;
  },
  node: (args, ctx) => nodeById(ctx.runtime, String(args.id)),
  nodes: (args, ctx) => {
    const ids = args.ids as string[];
    if (ids.length > 250) throw new GraphQLError("The ids argument accepts at most 250 ids.", { extensions: { code: "BAD_REQUEST" } });
    return ids.map((id) => nodeById(ctx.runtime, id));
  },
  currentBulkOperation: (args, ctx) => ctx.bulkService.current(ctx.runtime, (args.type as "QUERY" | "MUTATION") ?? "QUERY"),
  bulkOperation: (args, ctx) => {
    const p = parseResourceId(String(args.id), "BulkOperation");
    return p ? ctx.bulkService.view(ctx.runtime, p.sequence) : null;
  },
};

export const mutationResolvers: Record<string, RootResolver> = {
  tagsAdd: tagsMutation("add"),
  tagsRemove: tagsMutation("remove"),
  customerUpdate: (args, ctx) => {
    const input = args.input as { id?: string; tags?: string[]; firstName?: string; lastName?: string };
    const p = input.id ? parseResourceId(input.id, "Customer") : null;
    if (!p || p.sequence >= ctx.runtime.store.customers.count) {
      return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
    }
    const unsupported = Object.keys(input).filter((k) => !["id", "tags"].includes(k));
    if (unsupported.length) {
      throw new GraphQLError(`The Shopify simulator's customerUpdate only implements id and tags, not: ${unsupported.join(", ")}`, {
        extensions: { code: "NOT_IMPLEMENTED" },
      });
    }
    if (input.tags) {
      // customerUpdate(tags) replaces the whole tag set.
      const result = addTags([], splitTagInput(input.tags));
      if ("error" in result) return { customer: null, userErrors: [{ field: ["tags"], message: result.error }] };
      ctx.runtime.store.customers.tags[p.sequence] = result.tags.length ? result.tags : undefined;
    }
    ctx.runtime.touchCustomer(p.sequence);
    return { customer: customerView(ctx.runtime, p.sequence), userErrors: [] };
  },
  segmentCreate: (args, ctx) => {
    const name = String(args.name).trim();
    const query = String(args.query).trim();
    const errors = [];
    if (!name) errors.push({ field: ["name"], message: "Name can't be blank" });
    if (name.length > 255) errors.push({ field: ["name"], message: "Name is too long (maximum is 255 characters)" });
    if (ctx.runtime.segments.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
      errors.push({ field: ["name"], message: "Name has already been taken" });
    }
    if (!query) errors.push({ field: ["query"], message: "Query can't be blank" });
    if (errors.length) return { segment: null, userErrors: errors };
    const now = ctx.runtime.clock.now();
    const sequence = ctx.runtime.segments.length ? Math.max(...ctx.runtime.segments.map((s) => s.sequence)) + 1 : 0;
    ctx.runtime.segments.push({ sequence, name, query, creationDate: now, lastEditDate: now });
    return { segment: segmentView(ctx.runtime, ctx.runtime.segments.length - 1), userErrors: [] };
  },
  segmentUpdate: (args, ctx) => {
    const p = parseResourceId(String(args.id), "Segment");
    const index = p ? ctx.runtime.segments.findIndex((s) => s.sequence === p.sequence) : -1;
    if (index < 0) return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
    const segment = ctx.runtime.segments[index];
    const name = args.name == null ? segment.name : String(args.name).trim();
    const query = args.query == null ? segment.query : String(args.query).trim();
    const errors = [];
    if (!name) errors.push({ field: ["name"], message: "Name can't be blank" });
    if (name.length > 255) errors.push({ field: ["name"], message: "Name is too long (maximum is 255 characters)" });
    if (ctx.runtime.segments.some((s, i) => i !== index && s.name.toLowerCase() === name.toLowerCase())) {
      errors.push({ field: ["name"], message: "Name has already been taken" });
    }
    if (!query) errors.push({ field: ["query"], message: "Query can't be blank" });
    if (errors.length) return { segment: null, userErrors: errors };
    Object.assign(segment, { name, query, lastEditDate: ctx.runtime.clock.now() });
    return { segment: segmentView(ctx.runtime, index), userErrors: [] };
  },
  segmentDelete: (args, ctx) => {
    const p = parseResourceId(String(args.id), "Segment");
    const index = p ? ctx.runtime.segments.findIndex((s) => s.sequence === p.sequence) : -1;
    if (index < 0) return { deletedSegmentId: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
    ctx.runtime.segments.splice(index, 1);
    return { deletedSegmentId: String(args.id), userErrors: [] };
  },
  bulkOperationRunQuery: (args, ctx) => {
    const result = ctx.bulkService.runQuery(ctx.runtime, String(args.query));
    return { bulkOperation: result.operation ?? null, userErrors: result.userErrors };
  },
  bulkOperationRunMutation: (args, ctx) => {
    const result = ctx.bulkService.runMutation(ctx.runtime, String(args.mutation), String(args.stagedUploadPath), (args.clientIdentifier as string) ?? null);
    return { bulkOperation: result.operation ?? null, userErrors: result.userErrors };
  },
  bulkOperationCancel: (args, ctx) => {
    const p = parseResourceId(String(args.id), "BulkOperation");
    if (!p) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    const result = ctx.bulkService.cancel(ctx.runtime, p.sequence);
    return { bulkOperation: result.operation ?? null, userErrors: result.userErrors };
  },
  stagedUploadsCreate: (args, ctx) => {
    const inputs = args.input as { resource: string; filename: string; mimeType: string; httpMethod?: string }[];
    const targets = [];
    for (const [i, input] of inputs.entries()) {
      if (input.resource !== "BULK_MUTATION_VARIABLES") {
        throw new GraphQLError(`The Shopify simulator only stages BULK_MUTATION_VARIABLES uploads (input ${i} asked for ${input.resource}).`, {
          extensions: { code: "NOT_IMPLEMENTED" },
        });
      }
      const runtime = ctx.runtime;
      const key = `tmp/${runtime.store.shop.name}/bulk/${runtime.stagedUploads.size + 1}-${Math.floor(runtime.clock.now())}/${input.filename}`;
      runtime.stagedUploads.set(key, { key, content: null, createdAt: runtime.clock.now() });
      const url = `${ctx.baseUrl}/staged-uploads/${runtime.store.shop.domain}`;
      targets.push({
        url,
        resourceUrl: null,
        parameters: [
          { name: "key", value: key },
          { name: "Content-Type", value: input.mimeType },
          { name: "success_action_status", value: "201" },
          { name: "acl", value: "private" },
        ],
      });
    }
    return { stagedTargets: targets, userErrors: [] };
  },
};
