/**
 * The Admin GraphQL client every background job uses (backfill, reconcile, tag push).
 *
 * Built on graphql-request (the project's chosen client). It sends the typed documents generated
 * from app/shopify/documents/*.graphql (`npm run codegen`), so a call site cannot pass the wrong
 * variables or read a field its query does not select. What it adds is Shopify's rate-limit
 * etiquette (SHOPIFY.md §3):
 * - it reads `extensions.cost.throttleStatus` from every response into a leaky-bucket model
 *   and waits *before* a request that would not fit, instead of being throttled;
 * - it retries `THROTTLED` (whether answered 200 or 429), HTTP 429, 5xx and network failures
 *   with exponential backoff and full jitter, honouring `Retry-After`;
 * - clock, sleep and randomness are injectable so tests run under a fake clock.
 * Other GraphQL errors (a bad query, ACCESS_DENIED) are not retried: repeating them cannot help.
 */
import { ClientError, GraphQLClient } from "graphql-request";
import type { TypedDocumentString } from "./generated/admin.generated";
import { ThrottleBucket, type ThrottleStatus } from "./throttle-bucket";
import { log } from "../log.server";

export interface AdminApiClientOptions {
  shop: string;
  /** The offline access token, or a function that returns a fresh one (expiring tokens). */
  accessToken: string | (() => Promise<string>);
  /** From adminGraphqlUrl(): Shopify, or the simulator in dev/test. */
  endpoint: string;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Attempts per request including the first (default 8). */
  maxAttempts?: number;
  /** First backoff step for 429/5xx/network errors (default 500 ms), capped at maxDelayMs (30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Share one bucket between clients of the same shop in one process. */
  bucket?: ThrottleBucket;
}

export interface QueryCost {
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus | null;
}

export interface AdminResponse<TData> {
  data: TData;
  cost: QueryCost | null;
  attempts: number;
}

export type AdminApiErrorCode = "THROTTLED" | "HTTP" | "NETWORK" | "GRAPHQL" | "ACCESS_DENIED" | "UNAUTHORIZED";

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly code: AdminApiErrorCode,
    readonly retryable: boolean,
    readonly status?: number,
    readonly graphQLErrors: readonly { message: string; extensions?: Record<string, unknown> }[] = [],
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

export interface AdminApiClient {
  readonly shop: string;
  readonly bucket: ThrottleBucket;
  request<TData, TVariables>(
    document: TypedDocumentString<TData, TVariables>,
    variables: TVariables,
    options?: { signal?: AbortSignal },
  ): Promise<AdminResponse<TData>>;
}

interface RawGraphQLError {
  message: string;
  extensions?: Record<string, unknown>;
}

const DEFAULT_EXPECTED_COST = 50;

export function createAdminApiClient(options: AdminApiClientOptions): AdminApiClient {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const bucket = options.bucket ?? new ThrottleBucket();
  // What each document cost last time: the best estimate of what it will request next time.
  const lastRequestedCost = new Map<string, number>();

  const client = new GraphQLClient(options.endpoint, {
    fetch: options.fetch,
    errorPolicy: "all",
  });
  const accessToken = async () =>
    typeof options.accessToken === "string" ? options.accessToken : await options.accessToken();

  /** "Equal jitter" (AWS architecture blog, Exponential Backoff And Jitter): uniform in [cap/2, cap), so retries from many workers spread out but never fire at once. */
  const backoffMs = (attempt: number) => {
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(cap / 2 + (random() * cap) / 2);
  };

  /** Server errors and lost connections are worth a line for the operator; throttling is routine and is not logged. */
  const logRetry = (error: AdminApiError, attempt: number) =>
    log("warn", attempt < maxAttempts ? "admin_api.retrying" : "admin_api.gave_up", {
      shop: options.shop, code: error.code, status: error.status, attempt, maxAttempts, error: error.message,
    });

  async function request<TData, TVariables>(
    document: TypedDocumentString<TData, TVariables>,
    variables: TVariables,
    requestOptions: { signal?: AbortSignal } = {},
  ): Promise<AdminResponse<TData>> {
    const source = document.toString();
    const expectedCost = lastRequestedCost.get(source) ?? DEFAULT_EXPECTED_COST;
    let lastError: AdminApiError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const wait = bucket.waitMsFor(expectedCost, now());
      if (wait > 0) await sleep(wait);

      let status: number;
      let data: unknown;
      let errors: RawGraphQLError[] = [];
      let extensions: unknown;
      let retryAfterMs: number | null = null;
      try {
        const response = await client.rawRequest<TData>({
          query: source,
          variables: variables as Record<string, unknown>,
          requestHeaders: { "X-Shopify-Access-Token": await accessToken() },
          signal: requestOptions.signal,
        });
        status = response.status;
        data = response.data;
        errors = (response.errors as RawGraphQLError[] | undefined) ?? [];
        extensions = response.extensions;
      } catch (error) {
        if (error instanceof ClientError) {
          status = error.response.status;
          data = error.response.data;
          errors = (error.response.errors as RawGraphQLError[] | undefined) ?? [];
          extensions = error.response.extensions;
          retryAfterMs = parseRetryAfter(error.response.headers?.get?.("retry-after") ?? null);
        } else if (requestOptions.signal?.aborted) {
          throw error;
        } else {
          lastError = new AdminApiError(`network error: ${(error as Error).message}`, "NETWORK", true);
          logRetry(lastError, attempt);
          if (attempt < maxAttempts) await sleep(backoffMs(attempt));
          continue;
        }
      }

      const cost = readCost(extensions);
      if (cost?.throttleStatus) bucket.observe(cost.throttleStatus, now());
      if (cost?.requestedQueryCost != null) lastRequestedCost.set(source, cost.requestedQueryCost);

      const throttled = errors.some((e) => e.extensions?.code === "THROTTLED");
      if (throttled || status === 429) {
        lastError = new AdminApiError("Shopify throttled the request", "THROTTLED", true, status, errors);
        if (attempt < maxAttempts) {
          // Wait until the bucket holds what the query asks for; never less than a short backoff,
          // so a stale status cannot make us hammer the API.
          const needed = cost?.requestedQueryCost ?? expectedCost;
          const bucketWait = bucket.waitMsFor(needed, now());
          await sleep(Math.max(bucketWait, retryAfterMs ?? 0, backoffMs(1)));
        }
        continue;
      }
      if (status === 401 || status === 403) {
        throw new AdminApiError(`Shopify refused the access token (HTTP ${status})`, "UNAUTHORIZED", false, status, errors);
      }
      if (status >= 500 || status === 408) {
        lastError = new AdminApiError(`Shopify answered HTTP ${status}`, "HTTP", true, status, errors);
        logRetry(lastError, attempt);
        if (attempt < maxAttempts) await sleep(Math.max(retryAfterMs ?? 0, backoffMs(attempt)));
        continue;
      }
      if (status >= 400) {
        throw new AdminApiError(`Shopify answered HTTP ${status}`, "HTTP", false, status, errors);
      }
      if (errors.length > 0) {
        const denied = errors.some((e) => e.extensions?.code === "ACCESS_DENIED");
        throw new AdminApiError(
          errors.map((e) => e.message).join("; "),
          denied ? "ACCESS_DENIED" : "GRAPHQL",
          false,
          status,
          errors,
        );
      }
      if (data == null) throw new AdminApiError("Shopify answered without data", "GRAPHQL", false, status);
      return { data: data as TData, cost, attempts: attempt };
    }
    throw lastError ?? new AdminApiError("request failed", "HTTP", true);
  }

  return { shop: options.shop, bucket, request };
}

function readCost(extensions: unknown): QueryCost | null {
  const cost = (extensions as { cost?: Record<string, unknown> } | undefined)?.cost;
  if (!cost || typeof cost !== "object") return null;
  const t = cost.throttleStatus as Record<string, unknown> | undefined;
  const throttleStatus =
    t && typeof t.maximumAvailable === "number" && typeof t.currentlyAvailable === "number" && typeof t.restoreRate === "number"
      ? { maximumAvailable: t.maximumAvailable, currentlyAvailable: t.currentlyAvailable, restoreRate: t.restoreRate }
      : null;
  return {
    requestedQueryCost: typeof cost.requestedQueryCost === "number" ? cost.requestedQueryCost : null,
    actualQueryCost: typeof cost.actualQueryCost === "number" ? cost.actualQueryCost : null,
    throttleStatus,
  };
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}
