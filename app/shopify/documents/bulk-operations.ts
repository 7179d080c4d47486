/** Starting and following bulk query operations (SHOPIFY.md §4). */
import { adminDocument } from "../admin-document";

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
export type BulkOperationErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

export interface BulkOperationFields {
  id: string;
  status: BulkOperationStatus;
  errorCode: BulkOperationErrorCode | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

const BULK_OPERATION_FIELDS = `id status errorCode objectCount rootObjectCount url partialDataUrl createdAt completedAt`;

export const BULK_OPERATION_RUN_QUERY = adminDocument<
  {
    bulkOperationRunQuery: {
      bulkOperation: BulkOperationFields | null;
      userErrors: { code: string | null; field: string[] | null; message: string }[];
    } | null;
  },
  { query: string; groupObjects: boolean }
>(`mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
    bulkOperation { ${BULK_OPERATION_FIELDS} }
    userErrors { code field message }
  }
}`);

export const BULK_OPERATION_BY_ID = adminDocument<{ bulkOperation: BulkOperationFields | null }, { id: string }>(
  `query BulkOperationById($id: ID!) { bulkOperation(id: $id) { ${BULK_OPERATION_FIELDS} } }`,
);
