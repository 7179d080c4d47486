/**
 * The Admin API 2026-10 schema, for validating the app's documents: the project's own copy
 * (kept beside the simulator, which executes on the same schema), taken from
 * shared/data/shopify-admin-2026-10.introspection.json.gz.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let cached: GraphQLSchema | null = null;

export function loadAdminSchema(): GraphQLSchema {
  if (cached) return cached;
  const file = path.resolve(__dirname, "../../tools/shopify-sim/schema/admin-2026-10.introspection.json.gz");
  const json = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8"));
  cached = buildClientSchema((json.data ?? json) as IntrospectionQuery);
  return cached;
}
