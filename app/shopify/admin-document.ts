/**
 * A GraphQL document with the TypeScript types of its result and variables attached, so a
 * call site cannot pass the wrong variables or read a field the query does not select.
 * The types are written next to each query; documents.test.ts validates every query against
 * the local 2026-10 Admin schema, so a query and the schema cannot drift apart silently.
 */
export interface AdminDocument<TData, TVariables> {
  readonly source: string;
  /** Phantom fields: never set, only carry the types. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

export type NoVariables = Record<string, never>;

export function adminDocument<TData, TVariables = NoVariables>(source: string): AdminDocument<TData, TVariables> {
  return { source };
}

export type DocumentData<D> = D extends AdminDocument<infer T, unknown> ? T : never;
