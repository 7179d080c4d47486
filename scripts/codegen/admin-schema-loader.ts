/**
 * GraphQL Code Generator schema loader for the local Admin API 2026-10 schema: the gzipped
 * introspection result beside the simulator. Codegen has no loader for `.json.gz`, and must
 * run offline, so this reads the file itself.
 */
import fs from "node:fs";
import zlib from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export default function loadAdminSchema(pointer: string): GraphQLSchema {
  const json = JSON.parse(zlib.gunzipSync(fs.readFileSync(pointer)).toString("utf8"));
  return buildClientSchema((json.data ?? json) as IntrospectionQuery);
}
