/**
 * Starting, following and downloading a Shopify bulk operation (SHOPIFY.md "Bulk operations"):
 * the one module every job that runs one uses — the backfill's exports (bulk queries) and the tag
 * push's bulk mutations. It knows Shopify's states and errors; what to do about them (retry, fail
 * the run, say so to the merchant) stays with the job, which also stores the operation's id so
 * the `bulk_operations/finish` webhook wakes it (app/jobs/bulk-operation-owner.ts).
 */
import { BulkUrlExpiredError, fetchJsonlChunks } from "../sync/bulk/jsonl-lines";
import type { AdminApiClient } from "./admin-api-client";
import { BULK_OPERATION_BY_ID, BULK_OPERATION_RUN_QUERY, type BulkOperationFields } from "./documents/bulk-operations";
import { TAG_PUSH_BULK_MUTATION as BULK_OPERATION_RUN_MUTATION, TAG_PUSH_STAGED_UPLOAD as STAGED_UPLOADS_CREATE } from "./documents/tag-push";

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

/**
 * A bulk mutation's input, step 1: uploads one JSONL line of variables per call to a staged
 * target (`stagedUploadsCreate`, then a form POST) and returns the path `startBulkMutation`
 * takes. Split from the start so the job can record what it sent in between.
 */
export async function stageBulkMutationVariables(
  api: AdminApiClient,
  file: { name: string; jsonl: string },
  options: { fetch?: typeof globalThis.fetch; signal?: AbortSignal } = {},
): Promise<{ stagedUploadPath: string } | { refused: string }> {
  const { data } = await api.request(
    STAGED_UPLOADS_CREATE,
    { input: [{ resource: "BULK_MUTATION_VARIABLES", filename: file.name, mimeType: "text/jsonl", httpMethod: "POST" }] },
    { signal: options.signal },
  );
  const target = data.stagedUploadsCreate?.stagedTargets?.[0];
  const userError = data.stagedUploadsCreate?.userErrors[0];
  if (!target?.url || userError) return { refused: `stagedUploadsCreate: ${userError?.message ?? "no target"}` };
  return { stagedUploadPath: await uploadJsonl(target, file.jsonl, options.fetch ?? globalThis.fetch) };
}

/** POSTs the file to the staged target (form fields first, the file last, as S3/GCS expect); returns its key. */
export async function uploadJsonl(
  target: { url?: string | null; parameters: { name: string; value: string }[] },
  jsonl: string,
  fetchImpl: typeof globalThis.fetch,
): Promise<string> {
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "variables.jsonl");
  const response = await fetchImpl(target.url!, { method: "POST", body: form });
  if (!response.ok) throw new Error(`staged upload answered HTTP ${response.status}`);
  await response.arrayBuffer();
  const key = target.parameters.find((p) => p.name === "key")?.value;
  if (!key) throw new Error("staged upload target has no key");
  return key;
}

/** A bulk mutation's step 2: runs `mutation` once per line of the staged file (`bulkOperationRunMutation`). */
export async function startBulkMutation(
  api: AdminApiClient,
  run: { mutation: string; stagedUploadPath: string; clientIdentifier: string },
  options: { signal?: AbortSignal } = {},
): Promise<StartedBulkOperation> {
  const { data } = await api.request(BULK_OPERATION_RUN_MUTATION, run, { signal: options.signal });
  const payload = data.bulkOperationRunMutation;
  const userError = payload?.userErrors[0];
  if (userError) {
    if (userError.code === "OPERATION_IN_PROGRESS" || userError.code === "LIMIT_REACHED") return { busy: true };
    return { refused: `bulkOperationRunMutation: ${userError.message}` };
  }
  if (!payload?.bulkOperation) return { refused: "bulkOperationRunMutation: no operation" };
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
