/**
 * Starting, following and downloading a Shopify bulk operation (SHOPIFY.md "Bulk operations"):
 * the one module every job that runs one uses — the backfill's exports today, the tag push's
 * bulk mutations next. It knows Shopify's states and errors; what to do about them (retry, fail
 * the run, say so to the merchant) stays with the job, which also stores the operation's id so
 * the `bulk_operations/finish` webhook wakes it (app/jobs/bulk-operation-owner.ts).
 */
import { BulkUrlExpiredError, fetchJsonlChunks } from "../sync/bulk/jsonl-lines";
import type { AdminApiClient } from "./admin-api-client";
import { BULK_OPERATION_BY_ID, BULK_OPERATION_RUN_QUERY, type BulkOperationFields } from "./documents/bulk-operations";

export { BulkUrlExpiredError };

export type StartedBulkOperation =
  | { started: BulkOperationFields }
  /** The shop already runs a bulk operation of this kind (one at a time): try again later. */
  | { busy: true }
  | { refused: string };

/** Starts a bulk query (`bulkOperationRunQuery`). */
export async function startBulkQuery(api: AdminApiClient, query: string): Promise<StartedBulkOperation> {
  const { data } = await api.request(BULK_OPERATION_RUN_QUERY, { query, groupObjects: false });
  const payload = data.bulkOperationRunQuery;
  const userError = payload?.userErrors[0];
  if (userError) {
    if (userError.code === "OPERATION_IN_PROGRESS" || userError.code === "LIMIT_REACHED") return { busy: true };
    return { refused: userError.message };
  }
  if (!payload?.bulkOperation) throw new Error("bulkOperationRunQuery returned no operation");
  return { started: payload.bulkOperation };
}

/** Where an operation stands, in the terms a job acts on. */
export type BulkOperationState =
  | { state: "running"; operation: BulkOperationFields }
  | { state: "failed"; operation: BulkOperationFields; errorCode: string }
  | { state: "stopped"; operation: BulkOperationFields; status: "CANCELED" | "EXPIRED" }
  | { state: "completed"; operation: BulkOperationFields; rootObjectCount: number; resultUrl: string | null }
  /** Shopify no longer knows the operation (its results expired): start it again. */
  | { state: "gone" };

export async function readBulkOperation(api: AdminApiClient, id: string): Promise<BulkOperationState> {
  const operation: BulkOperationFields | null = (await api.request(BULK_OPERATION_BY_ID, { id })).data.bulkOperation;
  if (!operation) return { state: "gone" };
  switch (operation.status) {
    case "CREATED":
    case "RUNNING":
    case "CANCELING":
      return { state: "running", operation };
    case "FAILED":
      return { state: "failed", operation, errorCode: operation.errorCode ?? "INTERNAL_SERVER_ERROR" };
    case "CANCELED":
    case "EXPIRED":
      return { state: "stopped", operation, status: operation.status };
    default:
      return { state: "completed", operation, rootObjectCount: Number(operation.rootObjectCount), resultUrl: operation.url ?? null };
  }
}

/** The result file's JSONL as chunks (throws BulkUrlExpiredError when its signed URL expired). */
export function downloadBulkResult(url: string, fetchImpl?: typeof globalThis.fetch) {
  return fetchJsonlChunks(url, fetchImpl);
}
