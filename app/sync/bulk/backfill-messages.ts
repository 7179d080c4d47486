/** What the merchant reads about a backfill problem (SyncRun.errorCode → SyncRun.error). */
export type BackfillErrorCode =
  | "ACCESS_DENIED"
  | "TIMEOUT"
  | "INTERNAL_SERVER_ERROR"
  | "URL_EXPIRED"
  | "CANCELED"
  | "EXPIRED"
  | "OPERATION_IN_PROGRESS"
  | "API_ERROR"
  | "BAD_DATA";

export const BACKFILL_MESSAGES: Record<BackfillErrorCode, string> = {
  ACCESS_DENIED:
    "Shopify refused to export this data: the app lacks a permission (read_customers, read_orders or read_products) or approval for protected customer data. The import will not retry until the permissions change.",
  TIMEOUT: "Shopify's export took too long and stopped. The import retries automatically.",
  INTERNAL_SERVER_ERROR: "Shopify had an internal error while exporting. The import retries automatically.",
  URL_EXPIRED: "The exported file expired before the import finished. A new export starts automatically.",
  CANCELED: "The export was cancelled in Shopify. A new export starts automatically.",
  EXPIRED: "The export expired before it could be imported. A new export starts automatically.",
  OPERATION_IN_PROGRESS: "Shopify is still running another export for this store; the import waits for it.",
  API_ERROR: "Shopify's API did not answer as expected. The import retries automatically.",
  BAD_DATA: "Shopify sent a record the app could not read; the import stopped. Details are in the sync log.",
};

export const ALL_ORDERS_NOTICE =
  "Only the last 60 days of orders are visible: Shopify shares older orders only with apps granted the read_all_orders permission. Grant it to analyse your full history.";
