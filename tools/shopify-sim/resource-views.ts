/**
 * GraphQL-facing objects for stored rows. Each view holds exactly the fields the simulator
 * implements; the executor's default field resolver turns any other schema field into an
 * error naming it (see admin-graphql.ts), so nothing is ever silently null.
 * Function-valued properties are resolved lazily with (args, context, info).
 */
import type { GraphQLResolveInfo } from "graphql";
import { GraphQLError } from "graphql";
import { encodeCursor, paginate, type Page, type PageArgs, type SortedRows } from "./connection-pager.ts";
import { globalId, numericId, shopNumericId, type ResourceType } from "./resource-ids.ts";
import { compileSearch, type SearchSchema } from "./search-query.ts";
import type { ShopRuntime } from "./shop-runtime.ts";
import {
  FIRST_NAMES, FIRST_VISIT_SOURCES, LAST_NAMES, MARKETING_STATES, PLACES, SALES_CHANNELS,
} from "./store-catalog.ts";
import {
  ORDER_FLAG_CANCELLED, ORDER_FLAG_TEST, formatMoney, orderCurrentTotalCents, orderDiscountCents, orderPrices, type ShopStore,
} from "./store-model.ts";

export interface ResolverContext {
  runtime: ShopRuntime;
  /** Set while a bulk query runs: root connections return these rows, nested ones return all rows. */
  bulk?: { rootRows: readonly number[] };
  /** Search terms the resource ignored (reported in extensions.search). */
  searchWarnings: { path: (string | number)[]; query: string; fields: string[] }[];
  bulkService: BulkService;
  baseUrl: string;
}

export interface BulkService {
  runQuery(runtime: ShopRuntime, query: string): { operation?: object; userErrors: object[] };
  runMutation(runtime: ShopRuntime, mutation: string, stagedUploadPath: string, clientIdentifier: string | null): { operation?: object; userErrors: object[] };
  view(runtime: ShopRuntime, sequence: number): object | null;
  current(runtime: ShopRuntime, type: "QUERY" | "MUTATION"): object | null;
  cancel(runtime: ShopRuntime, sequence: number): { operation?: object; userErrors: object[] };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function money(cents: number, currencyCode: string) {
  const amount = { amount: formatMoney(cents), currencyCode };
  return { shopMoney: amount, presentmentMoney: amount };
}

function slug(text: string): string {
  return text.normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase();
}

export function customerEmail(store: ShopStore, c: number): string {
  const cu = store.customers;
  return `${slug(FIRST_NAMES[cu.firstNameIdx[c]])}.${slug(LAST_NAMES[cu.lastNameIdx[c]])}${c + 1}@example.com`;
}

export function customerTags(store: ShopStore, c: number): string[] {
  return [...(store.customers.tags[c] ?? [])].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
}

const DAY_MS = 86_400_000;

/**
 * Heuristic stand-in for Shopify's customer RFM group (Shopify does not publish its rules):
 * recency and frequency bands relative to "now".
 */
function rfmGroup(store: ShopStore, c: number, now: number): string {
  const orders = store.customers.numberOfOrders[c];
  const last = store.customers.lastOrderAt[c];
  if (orders === 0 || Number.isNaN(last)) return "PROSPECTS";
  const days = (now - last) / DAY_MS;
  if (days <= 60) return orders >= 4 ? "CHAMPIONS" : orders >= 2 ? "LOYAL" : "NEW";
  if (days <= 180) return orders >= 2 ? "ACTIVE" : "PROMISING";
  if (days <= 365) return orders >= 4 ? "AT_RISK" : orders >= 2 ? "NEEDS_ATTENTION" : "ALMOST_LOST";
  return orders >= 4 ? "PREVIOUSLY_LOYAL" : "DORMANT";
}

/** An edge; its cursor is encoded on demand (a bulk export's nested connections list millions of edges and never ask). */
class Edge {
  constructor(
    private readonly type: ResourceType,
    private readonly row: number,
    private readonly sorted: SortedRows,
    readonly node: object,
  ) {}
  get cursor() {
    return rowCursor(this.type, this.sorted, this.row);
  }
}

function rowCursor(type: ResourceType, sorted: SortedRows, row: number): string {
  return encodeCursor(numericId(type, row), row, sorted.sortValue(row));
}

type View = (runtime: ShopRuntime, row: number) => object;

function connection(runtime: ShopRuntime, type: ResourceType, page: Page, sorted: SortedRows, view: View) {
  const nodes: object[] = new Array(page.rows.length);
  const edges: Edge[] = new Array(page.rows.length);
  for (let i = 0; i < page.rows.length; i++) {
    nodes[i] = view(runtime, page.rows[i]);
    edges[i] = new Edge(type, page.rows[i], sorted, nodes[i]);
  }
  return {
    edges,
    nodes,
    // Encoded on demand too: a bulk export's nested connections never ask for pageInfo.
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return page.rows.length ? rowCursor(type, sorted, page.rows[0]) : null;
      },
      get endCursor() {
        return page.rows.length ? rowCursor(type, sorted, page.rows[page.rows.length - 1]) : null;
      },
    },
  };
}

const matchAll = () => true;
const noPage = () => false;

/**
 * Pages through `sorted` for a connection field; in a bulk query the root connection gets the
 * runner's chunk and nested connections return every matching row.
 */
export function resolveConnection(
  ctx: ResolverContext, info: GraphQLResolveInfo, type: ResourceType, sorted: SortedRows,
  args: PageArgs & { query?: string | null }, schema: SearchSchema<number> | null, view: View,
) {
  let matches: (row: number) => boolean = matchAll;
  if (schema) {
    let compiled;
    try {
      compiled = compileSearch(args.query, schema);
    } catch (error) {
      throw new GraphQLError(`Invalid search query: ${(error as Error).message}`, { extensions: { code: "BAD_REQUEST" } });
    }
    matches = compiled.matches;
    if (compiled.ignoredFields.length) ctx.searchWarnings.push({ path: pathOf(info), query: args.query ?? "", fields: compiled.ignoredFields });
  }
  if (ctx.bulk) {
    const isRoot = info.path.prev === undefined;
    const rows: number[] = [];
    if (isRoot) rows.push(...ctx.bulk.rootRows);
    else for (let pos = 0; pos < sorted.length; pos++) if (matches(sorted.rowAt(pos))) rows.push(sorted.rowAt(pos));
    return connection(ctx.runtime, type, { rows, hasNextPage: noPage, hasPreviousPage: noPage }, sorted, view);
  }
  return connection(ctx.runtime, type, paginate(sorted, args, matches), sorted, view);
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

// ---------------------------------------------------------------- sorting and search

type SortKeyMap = Record<string, { value: (row: number) => number | string; identity: boolean; version: () => number }>;

function unsupportedSortKey(resource: string, key: string): never {
  throw new GraphQLError(`The Shopify simulator does not implement sortKey ${key} for ${resource}.`, { extensions: { code: "NOT_IMPLEMENTED" } });
}

export function customerSorted(runtime: ShopRuntime, sortKey: string | null | undefined): SortedRows {
  const cu = runtime.store.customers;
  const keys: SortKeyMap = {
    ID: { value: (r) => r, identity: true, version: () => 0 },
    RELEVANCE: { value: (r) => r, identity: true, version: () => 0 },
    CREATED_AT: { value: (r) => cu.createdAt[r], identity: true, version: () => 0 },
    UPDATED_AT: { value: (r) => cu.updatedAt[r], identity: false, version: () => runtime.customerVersion },
    NAME: { value: (r) => `${LAST_NAMES[cu.lastNameIdx[r]]} ${FIRST_NAMES[cu.firstNameIdx[r]]}`, identity: false, version: () => 0 },
  };
  const key = sortKey ?? "ID";
  const spec = keys[key] ?? unsupportedSortKey("customers", key);
  return runtime.sorted(`customers:${key}`, cu.count, spec.version(), spec.value, spec.identity);
}

export function orderSorted(runtime: ShopRuntime, sortKey: string | null | undefined): SortedRows {
  const o = runtime.store.orders;
  const keys: SortKeyMap = {
    ID: { value: (r) => r, identity: true, version: () => 0 },
    RELEVANCE: { value: (r) => r, identity: true, version: () => 0 },
    ORDER_NUMBER: { value: (r) => r, identity: true, version: () => 0 },
    CREATED_AT: { value: (r) => o.createdAt[r], identity: true, version: () => 0 },
    PROCESSED_AT: { value: (r) => o.createdAt[r], identity: true, version: () => 0 },
    UPDATED_AT: { value: (r) => o.updatedAt[r], identity: false, version: () => runtime.orderVersion },
    TOTAL_PRICE: { value: (r) => o.totalCents[r], identity: false, version: () => runtime.orderVersion },
    CURRENT_TOTAL_PRICE: { value: (r) => orderCurrentTotalCents(o, r), identity: false, version: () => runtime.orderVersion },
  };
  const key = sortKey ?? "ID";
  const spec = keys[key] ?? unsupportedSortKey("orders", key);
  return runtime.sorted(`orders:${key}`, o.count, spec.version(), spec.value, spec.identity);
}

export function productSorted(runtime: ShopRuntime, sortKey: string | null | undefined): SortedRows {
  const p = runtime.store.products;
  const keys: SortKeyMap = {
    ID: { value: (r) => r, identity: true, version: () => 0 },
    RELEVANCE: { value: (r) => r, identity: true, version: () => 0 },
    CREATED_AT: { value: (r) => p[r].createdAt, identity: false, version: () => runtime.store.version },
    UPDATED_AT: { value: (r) => p[r].updatedAt, identity: false, version: () => runtime.store.version },
    TITLE: { value: (r) => p[r].title, identity: false, version: () => 0 },
    PRODUCT_TYPE: { value: (r) => p[r].productType, identity: false, version: () => 0 },
    VENDOR: { value: (r) => p[r].vendor, identity: false, version: () => 0 },
  };
  const key = sortKey ?? "ID";
  const spec = keys[key] ?? unsupportedSortKey("products", key);
  return runtime.sorted(`products:${key}`, p.length, spec.version(), spec.value, spec.identity);
}

function idField(type: ResourceType) {
  return {
    kind: "custom" as const,
    test: (row: number, term: { comparator: string; value: string }) => {
      const wanted = term.value.replace(/^gid:\/\/shopify\/\w+\//, "");
      const actual = BigInt(numericId(type, row));
      let target: bigint;
      try {
        target = BigInt(wanted);
      } catch {
        return false;
      }
      switch (term.comparator) {
        case ">": return actual > target;
        case ">=": return actual >= target;
        case "<": return actual < target;
        case "<=": return actual <= target;
        default: return actual === target;
      }
    },
  };
}

export function customerSearch(store: ShopStore): SearchSchema<number> {
  const cu = store.customers;
  return {
    defaultText: (r) => `${FIRST_NAMES[cu.firstNameIdx[r]]} ${LAST_NAMES[cu.lastNameIdx[r]]} ${customerEmail(store, r)}`,
    fields: {
      id: idField("Customer"),
      created_at: { kind: "date", get: (r) => cu.createdAt[r] },
      updated_at: { kind: "date", get: (r) => cu.updatedAt[r] },
      email: { kind: "text", get: (r) => customerEmail(store, r) },
      first_name: { kind: "text", get: (r) => FIRST_NAMES[cu.firstNameIdx[r]] },
      last_name: { kind: "text", get: (r) => LAST_NAMES[cu.lastNameIdx[r]] },
      country: { kind: "text", get: (r) => PLACES[cu.placeIdx[r]].country },
      tag: { kind: "tags", get: (r) => cu.tags[r] ?? [] },
      tag_not: { kind: "custom", test: (r, t) => !(cu.tags[r] ?? []).some((x) => x.toLowerCase() === t.value.toLowerCase()) },
      orders_count: { kind: "number", get: (r) => cu.numberOfOrders[r] },
      number_of_orders: { kind: "number", get: (r) => cu.numberOfOrders[r] },
      amount_spent: { kind: "number", get: (r) => cu.amountSpentCents[r] / 100 },
      email_marketing_state: { kind: "text", get: (r) => MARKETING_STATES[cu.marketingStateIdx[r]].state },
    },
  };
}

export function orderSearch(store: ShopStore): SearchSchema<number> {
  const o = store.orders;
  return {
    defaultText: (r) => `#${1001 + r} ${o.customerIdx[r] >= 0 ? customerEmail(store, o.customerIdx[r]) : ""}`,
    fields: {
      id: idField("Order"),
      created_at: { kind: "date", get: (r) => o.createdAt[r] },
      processed_at: { kind: "date", get: (r) => o.createdAt[r] },
      updated_at: { kind: "date", get: (r) => o.updatedAt[r] },
      email: { kind: "text", get: (r) => (o.customerIdx[r] >= 0 ? customerEmail(store, o.customerIdx[r]) : null) },
      name: { kind: "text", get: (r) => `#${1001 + r}` },
      customer_id: { kind: "text", get: (r) => (o.customerIdx[r] >= 0 ? numericId("Customer", o.customerIdx[r]) : null) },
      tag: { kind: "tags", get: (r) => o.tags.get(r) ?? [] },
      test: { kind: "boolean", get: (r) => (o.flags[r] & ORDER_FLAG_TEST) !== 0 },
      source_name: { kind: "text", get: (r) => SALES_CHANNELS[o.channelIdx[r]].sourceName },
      status: {
        kind: "custom",
        test: (r, t) => {
          const cancelled = (o.flags[r] & ORDER_FLAG_CANCELLED) !== 0;
          const v = t.value.toLowerCase();
          return v === "any" ? true : v === "cancelled" ? cancelled : v === "open" ? !cancelled : v === "closed" ? !cancelled : false;
        },
      },
      financial_status: { kind: "text", get: (r) => financialStatus(store, r).toLowerCase() },
    },
  };
}

export function productSearch(store: ShopStore): SearchSchema<number> {
  const p = store.products;
  return {
    defaultText: (r) => `${p[r].title} ${p[r].vendor} ${p[r].productType}`,
    fields: {
      id: idField("Product"),
      created_at: { kind: "date", get: (r) => p[r].createdAt },
      updated_at: { kind: "date", get: (r) => p[r].updatedAt },
      title: { kind: "text", get: (r) => p[r].title },
      product_type: { kind: "text", get: (r) => p[r].productType },
      vendor: { kind: "text", get: (r) => p[r].vendor },
      tag: { kind: "tags", get: (r) => p[r].tags },
    },
  };
}

function financialStatus(store: ShopStore, r: number): string {
  const o = store.orders;
  if (o.refundedCents[r] <= 0) return "PAID";
  return o.refundedCents[r] >= o.totalCents[r] ? "REFUNDED" : "PARTIALLY_REFUNDED";
}

// ---------------------------------------------------------------- views

export function shopView(runtime: ShopRuntime) {
  const s = runtime.store.shop;
  return {
    id: `gid://shopify/Shop/${shopNumericId(s.name)}`,
    name: s.name,
    myshopifyDomain: s.domain,
    email: s.email,
    currencyCode: s.currencyCode,
    ianaTimezone: s.ianaTimezone,
    createdAt: iso(s.createdAt),
    plan: {
      displayName: s.plan === "plus" ? "Shopify Plus" : "Basic",
      publicDisplayName: s.plan === "plus" ? "Shopify Plus" : "Basic",
      shopifyPlus: s.plan === "plus",
      partnerDevelopment: false,
    },
    primaryDomain: { id: "gid://shopify/Domain/1", host: s.domain, url: `https://${s.domain}` },
  };
}

class ProductView {
  constructor(private readonly runtime: ShopRuntime, private readonly r: number) {}
  get __typename() { return "Product"; }
  private get p() { return this.runtime.store.products[this.r]; }
  get id() { return globalId("Product", this.r); }
  get legacyResourceId() { return numericId("Product", this.r); }
  get title() { return this.p.title; }
  get handle() { return this.p.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); }
  get productType() { return this.p.productType; }
  get vendor() { return this.p.vendor; }
  get tags() { return [...this.p.tags]; }
  get createdAt() { return iso(this.p.createdAt); }
  get updatedAt() { return iso(this.p.updatedAt); }
  get status() { return "ACTIVE"; }
}

/** A product (a class with getters, like the other views: every line item of an export has one). */
export function productView(runtime: ShopRuntime, r: number): object {
  return new ProductView(runtime, r);
}

/**
 * Views are classes with getters so a field is computed only when a query selects it (a bulk
 * export builds millions of views). The executor's resolver reads `field in view`, so prototype
 * getters and methods count as implemented fields.
 */
class CustomerView {
  constructor(private readonly runtime: ShopRuntime, private readonly c: number) {}
  get __typename() { return "Customer"; }
  private get cu() { return this.runtime.store.customers; }
  get id() { return globalId("Customer", this.c); }
  get legacyResourceId() { return numericId("Customer", this.c); }
  get email() { return customerEmail(this.runtime.store, this.c); }
  get firstName() { return FIRST_NAMES[this.cu.firstNameIdx[this.c]]; }
  get lastName() { return LAST_NAMES[this.cu.lastNameIdx[this.c]]; }
  get displayName() { return `${this.firstName} ${this.lastName}`; }
  get createdAt() { return iso(this.cu.createdAt[this.c]); }
  get updatedAt() { return iso(this.cu.updatedAt[this.c]); }
  get numberOfOrders() { return String(this.cu.numberOfOrders[this.c]); }
  get amountSpent() { return { amount: formatMoney(this.cu.amountSpentCents[this.c]), currencyCode: this.runtime.store.shop.currencyCode }; }
  get emailMarketingConsent() {
    return {
      marketingState: MARKETING_STATES[this.cu.marketingStateIdx[this.c]].state,
      marketingOptInLevel: "SINGLE_OPT_IN",
      consentUpdatedAt: iso(this.cu.createdAt[this.c]),
    };
  }
  get defaultAddress() {
    const place = PLACES[this.cu.placeIdx[this.c]];
    return {
      id: `gid://shopify/MailingAddress/${numericId("Customer", this.c)}`,
      country: place.country,
      countryCodeV2: place.countryCode,
      province: place.province,
      provinceCode: place.provinceCode,
      city: place.city,
    };
  }
  get tags() { return customerTags(this.runtime.store, this.c); }
  get state() { return "ENABLED"; }
  get verifiedEmail() { return true; }
  get statistics() {
    const spent = this.cu.amountSpentCents[this.c];
    return {
      rfmGroup: rfmGroup(this.runtime.store, this.c, this.runtime.clock.now()),
      predictedSpendTier: spent >= 50_000 ? "HIGH" : spent >= 15_000 ? "MEDIUM" : "LOW",
    };
  }
  orders(args: PageArgs & { query?: string; sortKey?: string }, ctx: ResolverContext, info: GraphQLResolveInfo) {
    const runtime = this.runtime;
    const index = runtime.ordersByCustomer();
    const rows = index.rows.subarray(index.start[this.c], index.start[this.c + 1]);
    const all = orderSorted(runtime, args.sortKey);
    // A customer's orders are few: sort them with the shop-wide key.
    const sorted = [...rows].sort((x, y) => {
      const a = all.sortValue(x);
      const b = all.sortValue(y);
      return a < b ? -1 : a > b ? 1 : x - y;
    });
    const local: SortedRows = { length: sorted.length, rowAt: (pos) => sorted[pos], sortValue: all.sortValue };
    return resolveConnection(ctx, info, "Order", local, args, orderSearch(runtime.store), orderView);
  }
}

export function customerView(runtime: ShopRuntime, c: number): object {
  return new CustomerView(runtime, c);
}

class OrderView {
  constructor(private readonly runtime: ShopRuntime, private readonly r: number) {}
  get __typename() { return "Order"; }
  private get o() { return this.runtime.store.orders; }
  private get currency() { return this.runtime.store.shop.currencyCode; }
  private get c() { return this.o.customerIdx[this.r]; }
  get id() { return globalId("Order", this.r); }
  get legacyResourceId() { return numericId("Order", this.r); }
  get name() { return `#${1001 + this.r}`; }
  get email() { return this.c >= 0 ? customerEmail(this.runtime.store, this.c) : null; }
  get createdAt() { return iso(this.o.createdAt[this.r]); }
  get processedAt() { return iso(this.o.createdAt[this.r]); }
  get updatedAt() { return iso(this.o.updatedAt[this.r]); }
  get cancelledAt() { return Number.isNaN(this.o.cancelledAt[this.r]) ? null : iso(this.o.cancelledAt[this.r]); }
  get test() { return (this.o.flags[this.r] & ORDER_FLAG_TEST) !== 0; }
  get currencyCode() { return this.currency; }
  get customer() { return this.c >= 0 ? customerView(this.runtime, this.c) : null; }
  get currentTotalPriceSet() { return money(orderCurrentTotalCents(this.o, this.r), this.currency); }
  get totalPriceSet() { return money(this.o.totalCents[this.r], this.currency); }
  private memoPrices: ReturnType<typeof orderPrices> | undefined;
  private get prices() { return (this.memoPrices ??= orderPrices(this.runtime.store, this.r)); }
  get taxesIncluded() { return this.runtime.store.shop.pricing.taxesIncluded; }
  get subtotalPriceSet() { return money(this.prices.original.subtotalCents, this.currency); }
  get currentSubtotalPriceSet() { return money(this.prices.current.subtotalCents, this.currency); }
  get totalTaxSet() { return money(this.prices.original.taxCents, this.currency); }
  get currentTotalTaxSet() { return money(this.prices.current.taxCents, this.currency); }
  get currentShippingPriceSet() { return money(this.prices.current.shippingCents, this.currency); }
  get totalDiscountsSet() { return money(orderDiscountCents(this.o, this.r), this.currency); }
  get totalRefundedSet() { return money(this.o.refundedCents[this.r], this.currency); }
  get displayFinancialStatus() { return financialStatus(this.runtime.store, this.r); }
  get sourceName() { return SALES_CHANNELS[this.o.channelIdx[this.r]].sourceName; }
  get tags() { return [...(this.o.tags.get(this.r) ?? [])]; }
  get channelInformation() {
    const channel = SALES_CHANNELS[this.o.channelIdx[this.r]];
    return {
      id: `gid://shopify/ChannelInformation/${numericId("Order", this.r)}`,
      displayName: channel.channelName,
      channelDefinition: {
        id: `gid://shopify/ChannelDefinition/${this.o.channelIdx[this.r] + 1}`,
        handle: channel.handle,
        channelName: channel.channelName,
      },
    };
  }
  get customerJourneySummary() {
    const visit = FIRST_VISIT_SOURCES[this.o.firstVisitSourceIdx[this.r]];
    return {
      ready: true,
      firstVisit: {
        id: `gid://shopify/CustomerVisit/${numericId("Order", this.r)}`,
        source: visit.source ?? "direct",
        occurredAt: iso(this.o.createdAt[this.r] - 3_600_000),
        utmParameters: visit.utmSource === null ? null : { source: visit.utmSource, medium: visit.utmMedium, campaign: visit.utmCampaign },
      },
    };
  }
  lineItems(args: PageArgs, ctx: ResolverContext, info: GraphQLResolveInfo) {
    return resolveConnection(ctx, info, "LineItem", new LineRows(this.o.lineStart[this.r], this.o.lineStart[this.r + 1]), args, null, lineItemView);
  }
}

/** An order's line items, in line order (their sort value is the line's index). */
class LineRows implements SortedRows {
  readonly length: number;
  constructor(private readonly from: number, to: number) {
    this.length = to - from;
  }
  rowAt(pos: number) {
    return this.from + pos;
  }
  sortValue(row: number) {
    return row;
  }
}

export function orderView(runtime: ShopRuntime, r: number): object {
  return new OrderView(runtime, r);
}

class LineItemView {
  constructor(private readonly runtime: ShopRuntime, private readonly line: number) {}
  get __typename() { return "LineItem"; }
  private get o() { return this.runtime.store.orders; }
  private get productIdx() { return this.o.lineProductIdx[this.line]; }
  get id() { return globalId("LineItem", this.line); }
  get quantity() { return this.o.lineQuantity[this.line]; }
  get title() { return this.runtime.store.products[this.productIdx].title; }
  get name() { return this.title; }
  get vendor() { return this.runtime.store.products[this.productIdx].vendor; }
  get sku() { return `SKU-${this.productIdx + 1}`; }
  get product() { return productView(this.runtime, this.productIdx); }
  get originalTotalSet() { return money(this.o.lineOriginalCents[this.line], this.runtime.store.shop.currencyCode); }
  get discountedTotalSet() { return money(this.o.lineDiscountedCents[this.line], this.runtime.store.shop.currencyCode); }
}

export function lineItemView(runtime: ShopRuntime, line: number): object {
  return new LineItemView(runtime, line);
}

export function segmentView(runtime: ShopRuntime, index: number) {
  const s = runtime.segments[index];
  return {
    __typename: "Segment",
    id: globalId("Segment", s.sequence),
    name: s.name,
    query: s.query,
    creationDate: iso(s.creationDate),
    lastEditDate: iso(s.lastEditDate),
  };
}

export { iso as isoDateTime };
