/**
 * The import's parse thread (a worker_threads entry, started by parallel-import.ts): reads the
 * export's chunks, parses the lines, builds rows and batches them exactly as the single-thread
 * import does (batch-assembler.ts), and hands each batch to the writing thread as the writer's
 * parameter values. It never touches the database.
 */
import { parentPort } from "node:worker_threads";
import { prepareBatch, type BatchLayout } from "../store/batch-values";
import { BatchAssembler, type AssembledBatch } from "./batch-assembler";
import { JsonlFormatError, jsonlTextLines, readJsonlLines } from "./jsonl-lines";
import { CHUNKS_AHEAD, PARSE_AHEAD_BATCHES, type FromParseThread, type ToParseThread } from "./parse-thread-protocol";

const port = parentPort;
if (!port) throw new Error("parse-worker.ts runs as a worker thread");
const post = (message: FromParseThread) => port.postMessage(message);

const chunks: (Uint8Array | string | null)[] = [];
let chunkArrived: (() => void) | null = null;
let unwritten = 0;
let batchWritten: (() => void) | null = null;

port.on("message", (message: ToParseThread) => {
  if (message.type === "start") {
    parse(message).catch((error: unknown) =>
      post({
        type: "failed",
        lineNumber: error instanceof JsonlFormatError ? error.lineNumber : null,
        message: error instanceof JsonlFormatError ? error.detail : String((error as Error)?.stack ?? error),
      }),
    );
  } else if (message.type === "chunk" || message.type === "end") {
    chunks.push(message.type === "chunk" ? message.chunk : null);
    chunkArrived?.();
  } else {
    unwritten--;
    batchWritten?.();
  }
});
post({ type: "ready" });

async function* chunksFromWriter(): AsyncGenerator<Uint8Array | string> {
  // Chunks are asked for ahead: the writing thread answers only between its (synchronous)
  // batch writes, and this thread must not run dry meanwhile.
  for (let i = 1; i < CHUNKS_AHEAD; i++) post({ type: "more" });
  for (;;) {
    post({ type: "more" });
    while (chunks.length === 0) await new Promise<void>((resolve) => (chunkArrived = resolve));
    const chunk = chunks.shift()!;
    if (chunk === null) return;
    yield chunk;
  }
}

async function parse({ resource, batchSize, skipLines, layout }: Extract<ToParseThread, { type: "start" }>) {
  const assembler = new BatchAssembler(resource, batchSize);
  for await (const line of readJsonlLines(jsonlTextLines(chunksFromWriter()), { skipLines })) {
    const closed = assembler.add(line);
    if (closed) await send(closed, layout ?? "sqlite");
  }
  const last = assembler.finish();
  if (last) await send(last, layout ?? "sqlite");
  post({ type: "done", lastLine: assembler.lastLine });
}

async function send({ batch, throughLine, roots, nextLine }: AssembledBatch, layout: BatchLayout) {
  while (unwritten >= PARSE_AHEAD_BATCHES) await new Promise<void>((resolve) => (batchWritten = resolve));
  unwritten++;
  post({ type: "batch", values: prepareBatch(batch, layout), throughLine, roots, nextLine });
}
