/**
 * Messages between the import (parallel-import.ts, the writing thread) and its parse thread
 * (parse-worker.ts). The parse thread asks for the export's text chunk by chunk and stays at
 * most PARSE_AHEAD_BATCHES batches ahead of the writes, so memory stays bounded however large
 * the export.
 */
import type { BulkResource } from "../../shopify/documents/bulk-queries";
import type { BatchLayout, PreparedBatch } from "../store/batch-values";

export const PARSE_AHEAD_BATCHES = 2;

/** The parse thread's file in the production build (build/server/, next to index.js; vite.config.ts emits it). */
export const PARSE_WORKER_BUNDLE = "bulk-parse-worker.js";
/** Chunks of the export requested but not yet parsed (a download's chunks are 16–64 KB). */
export const CHUNKS_AHEAD = 64;

export type ToParseThread =
  | { type: "start"; resource: BulkResource; batchSize: number; skipLines: number; /** Default "sqlite": flat values. */ layout?: BatchLayout }
  | { type: "chunk"; chunk: Uint8Array | string }
  | { type: "end" }
  /** A batch was committed: the parse thread may prepare another. */
  | { type: "written" };

export type FromParseThread =
  | { type: "ready" }
  /** Wants the next chunk of the export (answered by "chunk" or "end"). */
  | { type: "more" }
  /**
   * One batch, as the writer's flat parameter arrays (batchValues) or, for PostgreSQL, its
   * column array literals: primitives in a few long arrays (or a few strings) clone quickly,
   * unlike row objects; one JSON string per batch measured no better.
   */
  | { type: "batch"; values: PreparedBatch; throughLine: number; roots: number; nextLine: number | null }
  | { type: "done"; lastLine: number }
  /** The export cannot be read: `lineNumber` set for a JsonlFormatError. */
  | { type: "failed"; lineNumber: number | null; message: string };
