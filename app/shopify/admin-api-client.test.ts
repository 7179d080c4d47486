import { describe, expect, it } from "vitest";
import { AdminApiError, createAdminApiClient } from "./admin-api-client";
import { SHOP_DETAILS } from "./documents/app-installation";
import { RECENT_CUSTOMERS } from "./documents/reconcile-queries";
import { adminGraphqlUrl, AdminEndpointError } from "./api-version";
import { pageSizeForCost, ThrottleBucket } from "./throttle-bucket";


interface Scripted {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A fetch that answers from a script and records when each call happened on the fake clock. */
function scriptedFetch(script: Scripted[], clock: { t: number }) {
  const calls: { at: number; token: string | null; body: string }[] = [];
  const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ at: clock.t, token: headers.get("x-shopify-access-token"), body: String(init?.body) });
    const next = script.shift();
    if (!next) throw new Error("script exhausted");
    if (next.body instanceof Error) throw next.body;
    return new Response(JSON.stringify(next.body), {
      status: next.status ?? 200,
      headers: { "content-type": "application/json", ...next.headers },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

function fakeClock() {
  const clock = { t: 1_000_000 };
  const sleeps: number[] = [];
  return {
    clock,
    sleeps,
    now: () => clock.t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock.t += ms;
    },
  };
}

const ok = (available: number, requested = 10, max = 2000, restoreRate = 100) => ({
  data: { shop: { name: "Sim" } },
  extensions: {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: requested,
      throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate },
    },
  },
});

const throttled = (available: number, requested: number) => ({
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
  extensions: {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
    },
  },
});

function client(script: Scripted[], extra: Partial<Parameters<typeof createAdminApiClient>[0]> = {}) {
  const time = fakeClock();
  const f = scriptedFetch(script, time.clock);
  const api = createAdminApiClient({
    shop: "a.myshopify.com",
    accessToken: "shpat_test",
    endpoint: "http://127.0.0.1:1/admin/api/2026-10/graphql.json",
    fetch: f.fetch,
    sleep: time.sleep,
    now: time.now,
    random: () => 0.5,
    ...extra,
  });
  return { api, ...time, calls: f.calls };
}

describe("createAdminApiClient", () => {
  it("sends the access token header and returns data with the reported cost", async () => {
    const { api, calls } = client([{ body: ok(1990) }]);
    const res = await api.request(SHOP_DETAILS, {});
    expect(res.data.shop.name).toBe("Sim");
    expect(res.cost?.throttleStatus?.currentlyAvailable).toBe(1990);
    expect(calls[0].token).toBe("shpat_test");
    expect(JSON.parse(calls[0].body).query).toBe(SHOP_DETAILS.toString());
  });

  it("waits before a request that would not fit the bucket: (cost − available) / restoreRate", async () => {
    // First response: 400 points requested, 100 left, 100/s restore. The next identical request
    // needs 400, so it must wait (400 − 100) / 100 = 3 s.
    const { api, sleeps, calls } = client([{ body: ok(100, 400) }, { body: ok(100, 400) }]);
    await api.request(SHOP_DETAILS, {});
    await api.request(SHOP_DETAILS, {});
    expect(sleeps).toEqual([3000]);
    expect(calls[1].at - calls[0].at).toBe(3000);
  });

  it("retries THROTTLED (HTTP 200) after the bucket has refilled enough, then succeeds", async () => {
    const { api, sleeps, calls } = client([{ body: throttled(50, 250) }, { body: ok(1800, 250) }]);
    const res = await api.request(SHOP_DETAILS, {});
    expect(res.attempts).toBe(2);
    // (250 − 50) / 100 points per second = 2 s
    expect(sleeps).toEqual([2000]);
    expect(calls).toHaveLength(2);
  });

  it("retries HTTP 429 honouring Retry-After", async () => {
    const { api, sleeps } = client([
      { status: 429, body: { errors: "Exceeded 2 calls per second for api client." }, headers: { "retry-after": "2.0" } },
      { body: ok(1990) },
    ]);
    const res = await api.request(SHOP_DETAILS, {});
    expect(res.attempts).toBe(2);
    expect(sleeps).toEqual([2000]);
  });

  it("retries 5xx with exponential backoff and jitter, then gives up with a retryable error", async () => {
    const { api, sleeps } = client(
      [
        { status: 502, body: { errors: "bad gateway" } },
        { status: 503, body: { errors: "unavailable" } },
        { status: 500, body: { errors: "oops" } },
      ],
      { maxAttempts: 3, baseDelayMs: 1000 },
    );
    const error = await api.request(SHOP_DETAILS, {}).catch((e) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(500);
    // random() = 0.5 → cap/2 + 0.25·cap: 750 ms after attempt 1, 1500 ms after attempt 2
    expect(sleeps).toEqual([750, 1500]);
  });

  it("retries network failures", async () => {
    const { api } = client([{ body: new Error("ECONNRESET") }, { body: ok(1990) }]);
    expect((await api.request(SHOP_DETAILS, {})).attempts).toBe(2);
  });

  it("does not retry a GraphQL error such as ACCESS_DENIED", async () => {
    const { api, calls } = client([
      { body: { errors: [{ message: "Access denied for orders field.", extensions: { code: "ACCESS_DENIED" } }] } },
    ]);
    const error = await api.request(SHOP_DETAILS, {}).catch((e) => e);
    expect(error.code).toBe("ACCESS_DENIED");
    expect(error.retryable).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it("reports 401 as a refused token without retrying", async () => {
    const { api, calls } = client([{ status: 401, body: { errors: "[API] Invalid API key or access token" } }]);
    const error = await api.request(SHOP_DETAILS, {}).catch((e) => e);
    expect(error.code).toBe("UNAUTHORIZED");
    expect(calls).toHaveLength(1);
  });

  it("asks for a fresh token on every request when given a token function", async () => {
    let n = 0;
    const { api, calls } = client([{ body: ok(1990) }, { body: ok(1990) }], { accessToken: async () => `tok-${++n}` });
    await api.request(SHOP_DETAILS, {});
    await api.request(SHOP_DETAILS, {});
    expect(calls.map((c) => c.token)).toEqual(["tok-1", "tok-2"]);
  });

  it("sends a generated document with its variables; its types reject wrong variables and unselected fields", async () => {
    const { api, calls } = client([{ body: ok(1990) }]);
    const variables = { first: 10, after: null, query: "updated_at:>'2026-01-01T00:00:00Z'" };
    await api.request(RECENT_CUSTOMERS, variables);
    expect(JSON.parse(calls[0].body)).toMatchObject({ query: RECENT_CUSTOMERS.toString(), variables });
    // Never run: `npm test` type-checks this file, and each line below must fail to compile.
    const misuses = async () => {
      // @ts-expect-error RecentCustomers requires `query`
      await api.request(RECENT_CUSTOMERS, { first: 10 });
      const { data } = await api.request(SHOP_DETAILS, {});
      // @ts-expect-error ShopDetails does not select the shop's e-mail
      return data.shop.email;
    };
    expect(misuses).toBeTypeOf("function");
  });
});

describe("ThrottleBucket", () => {
  it("refills at restoreRate up to the maximum", () => {
    const b = new ThrottleBucket();
    b.observe({ maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 }, 0);
    expect(b.availableAt(2000)).toBe(100);
    expect(b.availableAt(60_000)).toBe(1000);
    expect(b.waitMsFor(150, 2000)).toBe(1000);
  });
});

describe("pageSizeForCost", () => {
  it("keeps a page within half the bucket and Shopify's 250-node cap", () => {
    // Standard plan: bucket 2000 → budget 1000 points; (1000 − 2) / 158 = 6 orders per page
    expect(pageSizeForCost(158, { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 })).toBe(6);
    expect(pageSizeForCost(1, null)).toBe(250);
    // Old 1000-point bucket → budget 500: (500 − 2) / 6 = 83 customers
    expect(pageSizeForCost(6, { maximumAvailable: 1000, currentlyAvailable: 10, restoreRate: 50 })).toBe(83);
    expect(() => pageSizeForCost(0, null)).toThrow(RangeError);
  });
});

describe("adminGraphqlUrl", () => {
  it("builds Shopify's endpoint and refuses a simulator override in production", () => {
    expect(adminGraphqlUrl("a.myshopify.com")).toBe("https://a.myshopify.com/admin/api/2026-10/graphql.json");
    expect(adminGraphqlUrl("a.myshopify.com", { overrideBaseUrl: "http://127.0.0.1:9999/", nodeEnv: "test" })).toBe(
      "http://127.0.0.1:9999/admin/api/2026-10/graphql.json",
    );
    expect(() => adminGraphqlUrl("a.myshopify.com", { overrideBaseUrl: "http://x", nodeEnv: "production" })).toThrow(AdminEndpointError);
    expect(() => adminGraphqlUrl("evil.com")).toThrow(/myshopify/);
  });
});
