/** The local Admin API 2026-10 schema (shared/data), for validating the app's documents. */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let cached: GraphQLSchema | null = null;

export function loadAdminSchema(): GraphQLSchema {
  if (cached) return cached;
  const file = path.resolve(__dirname, "../../../shared/data/shopify-admin-2026-10.introspection.json.gz");
  const json = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8"));
  cached = buildClientSchema((json.data ?? json) as IntrospectionQuery);
  return cached;
}
