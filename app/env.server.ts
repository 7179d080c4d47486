import { z } from "zod";
import { DatabaseUrlError, parseDatabaseUrl } from "~/db/database-url";

/**
 * The server's configuration, validated once at start (epic-stack's `env.server.ts` pattern).
 *
 * A misconfigured server must stop before it serves anything, with one line that names the
 * setting to fix, not a stack trace from deep inside `shopifyApp()` or the database driver.
 */

const NODE_ENVS = ["development", "test", "production"] as const;

const requiredSecret = (name: string, hint: string) =>
  z
    .string({ error: `${name} is missing; ${hint}` })
    .trim()
    .min(1, { error: `${name} is empty; ${hint}` });

const httpUrl = (name: string, hint: string) =>
  z.string({ error: `${name} is missing; ${hint}` }).refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
      } catch {
        return false;
      }
    },
    { error: (issue) => `${name} must be an absolute http(s) URL, got "${String(issue.input)}"; ${hint}` },
  );

/** db.server's own one-line complaint about a DATABASE_URL, or undefined when it accepts it. */
function databaseUrlProblem(value: string): string | undefined {
  try {
    parseDatabaseUrl(value);
    return undefined;
  } catch (error) {
    if (error instanceof DatabaseUrlError) return error.message;
    throw error;
  }
}

const envSchema = z
  .object({
    NODE_ENV: z.enum(NODE_ENVS, { error: `NODE_ENV must be one of ${NODE_ENVS.join(", ")}` }).default("development"),
    SHOPIFY_API_KEY: requiredSecret(
      "SHOPIFY_API_KEY",
      "set it to the app's client id (Partner Dashboard, or `shopify app env show`)",
    ),
    SHOPIFY_API_SECRET: requiredSecret(
      "SHOPIFY_API_SECRET",
      "set it to the app's client secret (Partner Dashboard, or `shopify app env show`)",
    ),
    SHOPIFY_APP_URL: httpUrl("SHOPIFY_APP_URL", "set it to the public URL the app is served from"),
    SCOPES: z
      .string()
      .transform((value) => value.replace(/\s+/g, ""))
      .refine((value) => /^[a-z_]+(,[a-z_]+)*$/.test(value), {
        error: (issue) => `SCOPES must be a comma-separated list of access scopes, got "${String(issue.input)}"`,
      })
      .optional(),
    // Unset means the embedded SQLite default; the rules are db.server's own (app/db/database-url.ts).
    DATABASE_URL: z
      .string()
      .superRefine((value, ctx) => {
        const problem = databaseUrlProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    SHOPIFY_SIMULATOR_URL: httpUrl(
      "SHOPIFY_SIMULATOR_URL",
      "it points the app at the local Shopify simulator (tools/shopify-sim)",
    ).optional(),
    // Operator token for GET /ops/queue (README "Operations"); unset turns the endpoint off.
    OPS_TOKEN: z.string().min(24, { error: "OPS_TOKEN must be at least 24 characters (a random secret)" }).optional(),
    PORT: z
      .string()
      .regex(/^\d+$/, { error: "PORT must be a whole number between 1 and 65535" })
      .transform(Number)
      .refine((port) => port >= 1 && port <= 65535, { error: "PORT must be a whole number between 1 and 65535" })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (env.SHOPIFY_SIMULATOR_URL !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["SHOPIFY_SIMULATOR_URL"],
        message:
          "SHOPIFY_SIMULATOR_URL is set but NODE_ENV is production; the simulator is for development and tests only, unset it",
      });
    }
    // Zod runs this even when a field failed, so the URL may be missing or unparsable here.
    if (URL.canParse(env.SHOPIFY_APP_URL ?? "")) {
      const appUrl = new URL(env.SHOPIFY_APP_URL);
      const isLoopback = ["localhost", "127.0.0.1", "[::1]"].includes(appUrl.hostname);
      if (appUrl.protocol !== "https:" && !isLoopback) {
        ctx.addIssue({
          code: "custom",
          path: ["SHOPIFY_APP_URL"],
          message: "SHOPIFY_APP_URL must use https in production (Shopify only embeds https apps)",
        });
      }
    }
  });

/** The validated configuration; `SCOPES` is the list `shopifyApp()` expects. */
export type AppEnv = Omit<z.output<typeof envSchema>, "SCOPES"> & { SCOPES: string[] };

/** Scopes used when `SCOPES` is unset: the same list as `[access_scopes]` in shopify.app.toml. */
export const DEFAULT_SCOPES = ["read_customers", "write_customers", "read_orders", "read_all_orders", "read_products"];

export type EnvResult = { ok: true; env: AppEnv } | { ok: false; message: string };

/**
 * Validates raw environment variables.
 *
 * Empty strings count as unset for optional settings (a blank `FOO=` line in .env; an empty
 * DATABASE_URL means the SQLite default, as in db.server), but as "empty" for the two
 * secrets, so the message says what is actually wrong.
 *
 * @returns the typed configuration, or one line naming every bad setting.
 */
export function parseEnv(source: Record<string, string | undefined>): EnvResult {
  const input: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(source)) {
    const isSecret = key === "SHOPIFY_API_KEY" || key === "SHOPIFY_API_SECRET";
    input[key] = value === "" && !isSecret ? undefined : value;
  }
  const result = envSchema.safeParse(input);
  if (result.success) {
    const scopes = result.data.SCOPES ? result.data.SCOPES.split(",") : DEFAULT_SCOPES;
    return { ok: true, env: { ...result.data, SCOPES: scopes } };
  }
  // One message per setting, in the order the settings are declared above.
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const issue of result.error.issues) {
    const setting = String(issue.path[0] ?? "");
    if (seen.has(setting)) continue;
    seen.add(setting);
    messages.push(issue.message);
  }
  return { ok: false, message: `Configuration error: ${messages.join("; ")}` };
}

/**
 * Prints one line to stderr and ends the process. Used for configuration the server cannot
 * start without; a stack trace would bury the setting's name.
 */
export function exitWithConfigurationError(message: string): never {
  process.stderr.write(`${message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(1);
}

let cached: AppEnv | undefined;

/** The validated configuration of this process; exits with one line when it is invalid. */
export function getEnv(): AppEnv {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.ok) exitWithConfigurationError(result.message);
  cached = result.env;
  return cached;
}
