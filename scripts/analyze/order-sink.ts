import type { CustomerRow, PurchaseRow } from "../../app/analytics/dataset/dataset-builder";
import type { ShopTimeZone } from "./shop-time-zone";

/** Where a file reader delivers what it parsed; `line` is the 1-based line the order starts on. */
export interface OrderSink {
  order(row: PurchaseRow, line: number): void;
  customer(row: CustomerRow): void;
}

export interface ReaderOptions {
  /** The shop's time zone: reads wall-clock times and gives each order its local offset. */
  timeZone: ShopTimeZone;
}
