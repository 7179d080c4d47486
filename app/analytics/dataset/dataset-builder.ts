import { MS_PER_DAY } from "../calendar/calendar-day";
import { GrowableFloat64Column, GrowableInt32Column } from "./growable-column";
import { StringInterner } from "./string-interner";

/** One line of an order: what was bought. */
export interface LineItemRow {
  /** Product id (or, when the export has none, the product title). */
  productId: string;
  title?: string;
  productType?: string;
  quantity: number;
  /** Revenue of this line in shop money (used only for product rankings). */
  revenue?: number;
}

/** One order as it comes from the sync or a file reader. */
export interface PurchaseRow {
  /** Shopify customer id, e-mail or file id; `null` for a guest order. */
  customerId: string | null;
  /** Instant of the order, ms since the epoch (UTC). */
  at: number;
  /**
   * Shop's UTC offset at that instant in minutes (e.g. +60 for CET). Overrides the builder's
   * default; readers that see the offset in the data (Shopify's "Created at") pass it per row.
   */
  utcOffsetMinutes?: number;
  /** Current total in shop money (refunds already subtracted). */
  revenue: number;
  /** Number of items (sum of line quantities); defaults to the lines' sum or 1. */
  items?: number;
  lineItems?: readonly LineItemRow[];
  /** Order source / sales channel / first-visit UTM source, whichever is known. */
  source?: string | null;
  /** The sales channel the order came through (Shopify's channel name), when known. */
  channel?: string | null;
  /** The first visit's UTM source (or, without UTM, the referring source) before the order, when known. */
  firstVisit?: string | null;
  test?: boolean;
  cancelled?: boolean;
}

/** Attributes of a customer (all optional: files often carry none). */
export interface CustomerRow {
  customerId: string;
  /** Account creation instant, ms since the epoch. */
  createdAt?: number | null;
  country?: string | null;
  province?: string | null;
  city?: string | null;
  emailMarketingConsent?: boolean | null;
  tags?: readonly string[];
}

/** Thrown for a row the core cannot accept; `rowNumber` is 1-based in add() order. */
export class InvalidDatasetRowError extends Error {
  constructor(
    readonly rowNumber: number,
    readonly field: string,
    message: string,
  ) {
    super(`row ${rowNumber}: ${field}: ${message}`);
    this.name = "InvalidDatasetRowError";
  }
}

/**
 * The columnar store the analytics core works on. Orders are sorted by customer, then time;
 * customer `c`'s orders are `customerOrderStart[c] .. customerOrderStart[c + 1] - 1`; guest
 * orders follow all customers' orders, from `guestOrderStart` to `orderCount - 1`.
 */
export interface StoreDataset {
  readonly customerIds: readonly string[];
  readonly customerCount: number;
  readonly customerOrderStart: Int32Array;
  readonly orderCount: number;
  readonly guestOrderStart: number;
  /** Customer index per order, -1 for guests. */
  readonly orderCustomer: Int32Array;
  /** Order instant, ms since the epoch (UTC). */
  readonly orderAt: Float64Array;
  /** Local wall-clock ms (instant shifted by the shop's offset): days, hours, weekdays come from it. */
  readonly orderLocalMs: Float64Array;
  /** Local day index (days since 1970-01-01 in the shop's zone). */
  readonly orderDay: Int32Array;
  readonly orderRevenue: Float64Array;
  readonly orderItems: Float64Array;
  /** Interned source per order, -1 when unknown. */
  readonly orderSource: Int32Array;
  readonly sources: readonly string[];
  /** Interned sales channel and first-visit source per order, -1 when unknown (acquisition by channel and by UTM). */
  readonly orderChannel: Int32Array;
  readonly channels: readonly string[];
  readonly orderFirstVisit: Int32Array;
  readonly firstVisits: readonly string[];
  /** Line items, sorted by order index. */
  readonly lineOrder: Int32Array;
  readonly lineProduct: Int32Array;
  readonly lineQuantity: Float64Array;
  readonly lineRevenue: Float64Array;
  readonly productIds: readonly string[];
  readonly productTitles: readonly string[];
  readonly productTypes: readonly string[];
  /** Customer attributes by customer index (`null` when unknown). */
  readonly customerCreatedAt: Float64Array; // NaN when unknown
  readonly customerCountry: readonly (string | null)[];
  readonly customerProvince: readonly (string | null)[];
  readonly customerCity: readonly (string | null)[];
  readonly customerEmailConsent: readonly (boolean | null)[];
  readonly customerTags: readonly (readonly string[])[];
  /** Orders dropped at the door and why (counted, never silently lost). */
  readonly excluded: { readonly test: number; readonly cancelled: number };
}

export interface DatasetBuilderOptions {
  /** Default shop UTC offset in minutes for rows that carry none (default 0). */
  utcOffsetMinutes?: number;
}

/** A product as a line names it (the product fields of {@link LineItemRow}). */
export type LineProduct = Pick<LineItemRow, "productId" | "title" | "productType">;

/**
 * Lines as columns instead of one object each (a reader's page of a million-order store): line
 * `i` bought `quantities[i]` of `catalog[products[i]]` for `revenues[i]`. The catalog may grow
 * between calls (new products appended); an entry, once there, is not changed.
 */
export interface LineColumns {
  readonly products: ArrayLike<number>;
  readonly quantities: ArrayLike<number>;
  readonly revenues: ArrayLike<number>;
  readonly catalog: readonly LineProduct[];
}

export interface DatasetBuilder {
  /** Adds one order. Test and cancelled orders are counted and excluded. */
  add(row: PurchaseRow): void;
  /** Adds one order whose lines are `lines` from `from` up to `to` (its `lineItems` are not read). */
  addWithLines(row: PurchaseRow, lines: LineColumns, from: number, to: number): void;
  /**
   * Adds or updates a customer's attributes (a customer without orders is kept out of figures).
   * The row is kept as given until `build()`, not copied: do not change it afterwards. Returns the
   * customer's index in the dataset (`customerIds`), the same for every row of theirs.
   */
  addCustomer(row: CustomerRow): number;
  /** Sorts once (customer, then time) and freezes the columns. The builder is spent afterwards. */
  build(): StoreDataset;
}

/**
 * Creates a builder that turns a stream of order rows into a {@link StoreDataset}.
 *
 * Customer ids are interned to dense ints; every order column is a typed array, so a store
 * with millions of orders costs tens of bytes per order. Rows are validated as they arrive:
 * a bad row throws {@link InvalidDatasetRowError} naming its number and field.
 *
 * @example
 * const builder = createDatasetBuilder({ utcOffsetMinutes: 60 });
 * builder.add({ customerId: "c1", at: Date.UTC(2024, 0, 1, 9), revenue: 20 });
 * const dataset = builder.build(); // dataset.orderCount === 1
 */
export function createDatasetBuilder(options: DatasetBuilderOptions = {}): DatasetBuilder {
  const defaultOffset = options.utcOffsetMinutes ?? 0;
  const customers = new StringInterner();
  const products = new StringInterner();
  const sources = new StringInterner();
  const channels = new StringInterner();
  const firstVisits = new StringInterner();
  const productTitles: string[] = [];
  const productTypes: string[] = [];
  const orderCustomer = new GrowableInt32Column();
  const orderAt = new GrowableFloat64Column();
  const orderLocal = new GrowableFloat64Column();
  const orderRevenue = new GrowableFloat64Column();
  const orderItems = new GrowableFloat64Column();
  const orderSource = new GrowableInt32Column();
  const orderChannel = new GrowableInt32Column();
  const orderFirstVisit = new GrowableInt32Column();
  const lineOrder = new GrowableInt32Column();
  const lineProduct = new GrowableInt32Column();
  const lineQuantity = new GrowableFloat64Column();
  const lineRevenue = new GrowableFloat64Column();
  /** Attributes by customer index, the row as given (no copy: 289k customers at 1M orders). */
  const attributes: (CustomerRow | undefined)[] = [];
  let rowNumber = 0;
  let test = 0;
  let cancelled = 0;
  let built = false;

  const fail = (field: string, message: string): never => {
    throw new InvalidDatasetRowError(rowNumber, field, message);
  };

  /** Builder product index per catalog entry of each LineColumns catalog seen. */
  const catalogProducts = new WeakMap<readonly LineProduct[], number[]>();
  /** The order being added: its index and its interned customer (-1: a guest). */
  let orderIndex = 0;
  let orderCustomerIndex = -1;

  /** Validates an order's own fields and interns its customer; false for an excluded (test, cancelled) order. */
  const beginOrder = (row: PurchaseRow): boolean => {
    if (built) throw new Error("dataset builder already built");
    rowNumber++;
    if (row.test) {
      test++;
      return false;
    }
    if (row.cancelled) {
      cancelled++;
      return false;
    }
    if (!Number.isFinite(row.at)) fail("at", `not a valid time (${row.at})`);
    if (!Number.isFinite(row.revenue)) fail("revenue", `not a number (${row.revenue})`);
    if (row.revenue < 0) fail("revenue", `negative (${row.revenue}); refunds reduce an order to at least 0`);
    const offset = row.utcOffsetMinutes ?? defaultOffset;
    if (!Number.isFinite(offset) || Math.abs(offset) > 18 * 60) fail("utcOffsetMinutes", `out of range (${offset})`);
    orderCustomerIndex = -1;
    if (row.customerId !== null && row.customerId !== undefined) {
      const id = String(row.customerId).trim();
      if (id === "") fail("customerId", "empty (use null for a guest order)");
      orderCustomerIndex = customers.intern(id);
    }
    orderIndex = orderCustomer.length;
    return true;
  };

  const productOf = (line: LineProduct): number => {
    const productId = String(line.productId ?? "").trim();
    if (productId === "") fail("lineItems.productId", "empty");
    const product = products.intern(productId);
    if (product === productTitles.length) {
      productTitles.push(line.title ?? productId);
      productTypes.push(line.productType ?? "");
    }
    return product;
  };

  const checkQuantity = (quantity: number): void => {
    if (!Number.isFinite(quantity) || quantity < 0) fail("lineItems.quantity", `not a non-negative number (${quantity})`);
  };

  /** One line of the order being added (its quantity checked); returns its quantity. */
  const addLine = (product: number, quantity: number, revenue: number): number => {
    lineOrder.push(orderIndex);
    lineProduct.push(product);
    lineQuantity.push(quantity);
    lineRevenue.push(revenue);
    return quantity;
  };

  const endOrder = (row: PurchaseRow, itemSum: number, hasLines: boolean): void => {
    const items = row.items ?? (hasLines ? itemSum : 1);
    if (!Number.isFinite(items) || items < 0) fail("items", `not a non-negative number (${items})`);
    orderCustomer.push(orderCustomerIndex);
    orderAt.push(row.at);
    orderLocal.push(row.at + (row.utcOffsetMinutes ?? defaultOffset) * 60_000);
    orderRevenue.push(row.revenue);
    orderItems.push(items);
    orderSource.push(row.source ? sources.intern(row.source) : -1);
    orderChannel.push(row.channel ? channels.intern(row.channel) : -1);
    orderFirstVisit.push(row.firstVisit ? firstVisits.intern(row.firstVisit) : -1);
  };

  return {
    add(row) {
      if (!beginOrder(row)) return;
      let itemSum = 0;
      const lines = row.lineItems ?? [];
      for (const line of lines) {
        checkQuantity(line.quantity);
        itemSum += addLine(productOf(line), line.quantity, line.revenue ?? 0);
      }
      endOrder(row, itemSum, lines.length > 0);
    },

    addWithLines(row, lines, from, to) {
      if (!beginOrder(row)) return;
      let known = catalogProducts.get(lines.catalog);
      if (!known) catalogProducts.set(lines.catalog, (known = []));
      let itemSum = 0;
      for (let i = from; i < to; i++) {
        const quantity = lines.quantities[i];
        checkQuantity(quantity);
        const entry = lines.products[i];
        let product = known[entry];
        // Interned at the entry's first use, in line order: the first title seen names the product, as in add().
        if (product === undefined) product = known[entry] = productOf(lines.catalog[entry]);
        itemSum += addLine(product, quantity, lines.revenues[i]);
      }
      endOrder(row, itemSum, to > from);
    },

    addCustomer(row) {
      if (built) throw new Error("dataset builder already built");
      const id = String(row.customerId ?? "").trim();
      if (id === "") throw new InvalidDatasetRowError(0, "customerId", "empty customer id in customer attributes");
      const index = customers.intern(id);
      attributes[index] = row;
      return index;
    },

    build() {
      built = true;
      const dataset = freeze();
      // The dataset holds sorted copies; let the unsorted buffers and lookup maps go.
      for (const column of [orderCustomer, orderAt, orderLocal, orderRevenue, orderItems, orderSource, orderChannel, orderFirstVisit, lineOrder, lineProduct, lineQuantity, lineRevenue]) column.release();
      customers.dropIndex();
      products.dropIndex();
      sources.dropIndex();
      channels.dropIndex();
      firstVisits.dropIndex();
      attributes.length = 0;
      return dataset;
    },
  };

  function freeze(): StoreDataset {
    const n = orderCustomer.length;
    const customerCount = customers.size;
    const cust = orderCustomer.view();
    const local = orderLocal.view();

    // Counting sort by customer (guests last), then sort each customer's slice by time.
    const counts = new Int32Array(customerCount + 2);
    for (let i = 0; i < n; i++) counts[(cust[i] === -1 ? customerCount : cust[i]) + 1]++;
    for (let c = 1; c < counts.length; c++) counts[c] += counts[c - 1];
    const customerOrderStart = counts.slice(0, customerCount + 1);
    const cursor = counts.slice(0, customerCount + 1);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[cursor[cust[i] === -1 ? customerCount : cust[i]]++] = i;
    const at = orderAt.view();
    const sortSlice = (from: number, to: number) => {
      if (to - from < 2) return;
      if (to - from < 16) {
        for (let i = from + 1; i < to; i++) {
          const v = perm[i];
          const key = at[v];
          let j = i - 1;
          while (j >= from && at[perm[j]] > key) {
            perm[j + 1] = perm[j];
            j--;
          }
          perm[j + 1] = v;
        }
      } else {
        perm.subarray(from, to).sort((p, q) => at[p] - at[q] || p - q);
      }
    };
    for (let c = 0; c < customerCount; c++) sortSlice(customerOrderStart[c], customerOrderStart[c + 1]);
    const guestOrderStart = customerOrderStart[customerCount];
    sortSlice(guestOrderStart, n);

    const gatherF = (src: Float64Array) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = src[perm[i]];
      return out;
    };
    const gatherI = (src: Int32Array) => {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = src[perm[i]];
      return out;
    };
    const sortedLocal = gatherF(local);
    const orderDay = new Int32Array(n);
    for (let i = 0; i < n; i++) orderDay[i] = Math.floor(sortedLocal[i] / MS_PER_DAY);

    // Lines follow their orders: remap to the new order index, counting sort by it.
    const inverse = new Int32Array(n);
    for (let i = 0; i < n; i++) inverse[perm[i]] = i;
    const lo = lineOrder.view();
    const lineCount = lo.length;
    const lineStart = new Int32Array(n + 1);
    for (let l = 0; l < lineCount; l++) lineStart[inverse[lo[l]] + 1]++;
    for (let i = 1; i <= n; i++) lineStart[i] += lineStart[i - 1];
    const lineCursor = lineStart.slice();
    const linePerm = new Int32Array(lineCount);
    for (let l = 0; l < lineCount; l++) linePerm[lineCursor[inverse[lo[l]]]++] = l;
    const lp = lineProduct.view();
    const lq = lineQuantity.view();
    const lr = lineRevenue.view();
    const sortedLineOrder = new Int32Array(lineCount);
    const sortedLineProduct = new Int32Array(lineCount);
    const sortedLineQuantity = new Float64Array(lineCount);
    const sortedLineRevenue = new Float64Array(lineCount);
    for (let k = 0; k < lineCount; k++) {
      const l = linePerm[k];
      sortedLineOrder[k] = inverse[lo[l]];
      sortedLineProduct[k] = lp[l];
      sortedLineQuantity[k] = lq[l];
      sortedLineRevenue[k] = lr[l];
    }

    const createdAt = new Float64Array(customerCount).fill(NaN);
    const country: (string | null)[] = new Array(customerCount).fill(null);
    const province: (string | null)[] = new Array(customerCount).fill(null);
    const city: (string | null)[] = new Array(customerCount).fill(null);
    const consent: (boolean | null)[] = new Array(customerCount).fill(null);
    const tags: (readonly string[])[] = new Array(customerCount).fill([]);
    for (let c = 0; c < attributes.length; c++) {
      const row = attributes[c];
      if (row === undefined) continue;
      if (row.createdAt !== null && row.createdAt !== undefined) createdAt[c] = row.createdAt;
      country[c] = row.country?.trim() || null;
      province[c] = row.province?.trim() || null;
      city[c] = row.city?.trim() || null;
      consent[c] = row.emailMarketingConsent ?? null;
      tags[c] = row.tags ?? [];
    }

    return {
      customerIds: customers.values,
      customerCount,
      customerOrderStart,
      orderCount: n,
      guestOrderStart,
      orderCustomer: gatherI(cust),
      orderAt: gatherF(at),
      orderLocalMs: sortedLocal,
      orderDay,
      orderRevenue: gatherF(orderRevenue.view()),
      orderItems: gatherF(orderItems.view()),
      orderSource: gatherI(orderSource.view()),
      sources: sources.values,
      orderChannel: gatherI(orderChannel.view()),
      channels: channels.values,
      orderFirstVisit: gatherI(orderFirstVisit.view()),
      firstVisits: firstVisits.values,
      lineOrder: sortedLineOrder,
      lineProduct: sortedLineProduct,
      lineQuantity: sortedLineQuantity,
      lineRevenue: sortedLineRevenue,
      productIds: products.values,
      productTitles,
      productTypes,
      customerCreatedAt: createdAt,
      customerCountry: country,
      customerProvince: province,
      customerCity: city,
      customerEmailConsent: consent,
      customerTags: tags,
      excluded: { test, cancelled },
    };
  }
}
