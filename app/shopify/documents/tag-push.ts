/**
 * Tag push and native segment operations (tag-push.graphql, types by `npm run codegen`), plus the
 * aliased batch of tagsAdd/tagsRemove the push sends for small diffs: one request carries many
 * customers, so it is built at run time from the same selection as the typed single mutations.
 */
import { TypedDocumentString } from "../generated/admin.generated";

export {
  NativeSegmentCreateDocument as NATIVE_SEGMENT_CREATE,
  NativeSegmentDeleteDocument as NATIVE_SEGMENT_DELETE,
  NativeSegmentUpdateDocument as NATIVE_SEGMENT_UPDATE,
  TagPushAddDocument as TAG_PUSH_ADD,
  TagPushBulkMutationDocument as TAG_PUSH_BULK_MUTATION,
  TagPushRemoveDocument as TAG_PUSH_REMOVE,
  TagPushStagedUploadDocument as TAG_PUSH_STAGED_UPLOAD,
} from "../generated/admin.generated";

export interface TagMutationResult {
  userErrors: { field?: string[] | null; message: string }[];
}

/**
 * `mutation TagPushBatch($tags: [String!]!, $id0: ID!, …) { c0: tagsAdd(id: $id0, tags: $tags) {…} … }`
 * for `size` customers, all adds or all removes. The text depends only on (action, size), so
 * the client learns its cost after the first request and waits for room before the next.
 */
export function tagBatchDocument(action: "add" | "remove", size: number): TypedDocumentString<Record<string, TagMutationResult | null>, Record<string, unknown>> {
  const field = action === "add" ? "tagsAdd" : "tagsRemove";
  const variables = Array.from({ length: size }, (_, i) => `$id${i}: ID!`).join(", ");
  const fields = Array.from({ length: size }, (_, i) => `  c${i}: ${field}(id: $id${i}, tags: $tags) { userErrors { field message } }`).join("\n");
  return new TypedDocumentString(`mutation TagPushBatch($tags: [String!]!, ${variables}) {\n${fields}\n}`);
}

/**
 * Shopify charges 10 points per mutation field (SHOPIFY.md §3); we budget 11 so a selection
 * Shopify might charge on top never pushes a 90-alias batch past the 1,000-point query limit.
 */
export const TAG_MUTATION_COST = 11;
