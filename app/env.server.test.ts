import { describe, expect, it } from "vitest";
import { DEFAULT_SCOPES, parseEnv } from "./env.server";

const VALID = {
  SHOPIFY_API_KEY: "client-id",
  SHOPIFY_API_SECRET: "client-secret",
  SHOPIFY_APP_URL: "https://insights.example.com",
};

function messageFor(overrides: Record<string, string | undefined>): string {
  const result = parseEnv({ ...VALID, ...overrides });
  if (result.ok) throw new Error("expected the configuration to be refused");
  return result.message;
}

describe("parseEnv(env)", () => {
  it("accepts the minimal configuration, with the toml's scopes and the SQLite default", () => {
    const result = parseEnv(VALID);
    expect(result).toEqual({
      ok: true,
      env: { ...VALID, NODE_ENV: "development", SCOPES: DEFAULT_SCOPES },
    });
  });

  it.each([
    ["SHOPIFY_API_KEY", undefined, /^Configuration error: SHOPIFY_API_KEY is missing;/],
    ["SHOPIFY_API_KEY", "", /^Configuration error: SHOPIFY_API_KEY is empty;/],
    ["SHOPIFY_API_KEY", "   ", /^Configuration error: SHOPIFY_API_KEY is empty;/],
    ["SHOPIFY_API_SECRET", undefined, /^Configuration error: SHOPIFY_API_SECRET is missing;/],
    ["SHOPIFY_API_SECRET", "", /^Configuration error: SHOPIFY_API_SECRET is empty;/],
    ["SHOPIFY_APP_URL", undefined, /^Configuration error: SHOPIFY_APP_URL is missing;/],
    ["SHOPIFY_APP_URL", "insights.example.com", /^Configuration error: SHOPIFY_APP_URL must be an absolute http\(s\) URL/],
    ["SHOPIFY_APP_URL", "ftp://insights.example.com", /^Configuration error: SHOPIFY_APP_URL must be an absolute http\(s\) URL/],
    ["DATABASE_URL", "mysql://db/insights", /^Configuration error: DATABASE_URL: unsupported scheme/],
    ["DATABASE_URL", "dev.sqlite", /^Configuration error: DATABASE_URL: unsupported scheme/],
    ["DATABASE_URL", "file:", /^Configuration error: DATABASE_URL: a SQLite URL needs a file path/],
    ["DATABASE_URL", "postgresql://127.0.0.1:5432", /^Configuration error: DATABASE_URL: a PostgreSQL URL needs a host and a database name/],
    ["SCOPES", "read_orders;write_orders", /^Configuration error: SCOPES must be a comma-separated list/],
    ["SHOPIFY_SIMULATOR_URL", "localhost:4000", /^Configuration error: SHOPIFY_SIMULATOR_URL must be an absolute http\(s\) URL/],
    ["PORT", "80a", /^Configuration error: PORT must be a whole number/],
    ["PORT", "70000", /^Configuration error: PORT must be a whole number/],
  ])("%s=%j is refused with one line naming it", (setting, value, expected) => {
    const message = messageFor({ [setting]: value });
    expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
  });

  it("accepts both PostgreSQL spellings and SQLite files", () => {
    for (const url of ["postgresql://postgres@127.0.0.1:5432/insights", "postgres://u:p@db.internal/insights", "file:./prisma/dev.sqlite"]) {
      expect(parseEnv({ ...VALID, DATABASE_URL: url }).ok).toBe(true);
    }
  });

  it("never prints a database password", () => {
    const message = messageFor({ DATABASE_URL: "mysql://admin:hunter2@db/insights" });
    expect(message).not.toContain("hunter2");
  });

  it("names every bad setting in the one line", () => {
    const message = messageFor({ SHOPIFY_API_KEY: "", DATABASE_URL: "mysql://x/y" });
    expect(message).toMatch(/SHOPIFY_API_KEY is empty.*; DATABASE_URL: unsupported scheme/);
    expect(message).not.toContain("\n");
  });

  it("refuses the simulator in production, accepts it in development and tests", () => {
    const simulator = { SHOPIFY_SIMULATOR_URL: "http://127.0.0.1:4010" };
    expect(messageFor({ ...simulator, NODE_ENV: "production" })).toMatch(
      /^Configuration error: SHOPIFY_SIMULATOR_URL is set but NODE_ENV is production/,
    );
    expect(parseEnv({ ...VALID, ...simulator, NODE_ENV: "development" }).ok).toBe(true);
    expect(parseEnv({ ...VALID, ...simulator, NODE_ENV: "test" }).ok).toBe(true);
  });

  it("requires https in production except on this machine", () => {
    expect(messageFor({ NODE_ENV: "production", SHOPIFY_APP_URL: "http://insights.example.com" })).toMatch(
      /SHOPIFY_APP_URL must use https in production/,
    );
    expect(parseEnv({ ...VALID, NODE_ENV: "production", SHOPIFY_APP_URL: "http://localhost:3000" }).ok).toBe(true);
  });

  it("treats blank optional settings as unset and splits SCOPES", () => {
    const result = parseEnv({ ...VALID, DATABASE_URL: "", SHOPIFY_SIMULATOR_URL: "", SCOPES: "read_orders, read_customers" });
    expect(result.ok && result.env.SCOPES).toEqual(["read_orders", "read_customers"]);
    expect(result.ok && result.env.DATABASE_URL).toBeUndefined();
  });
});
