import type { CustomerRow, PurchaseRow } from "../../app/analytics/dataset/dataset-builder";

/** Where a file reader delivers what it parsed; `line` is the 1-based line the order starts on. */
export interface OrderSink {
  order(row: PurchaseRow, line: number): void;
  customer(row: CustomerRow): void;
}

export interface ReaderOptions {
  /** Shop UTC offset for timestamps written without one. */
  utcOffsetMinutes: number;
}
