/**
 * Reads a bulk operation's JSONL result line by line from its URL: node:readline over the
 * fetch body stream, so a multi-gigabyte export never sits in memory (SHOPIFY.md §4).
 */
import { Readable } from "node:stream";
import readline from "node:readline";

export interface JsonlLine {
  /** 1-based line number in the file. */
  lineNumber: number;
  value: Record<string, unknown>;
}

export class JsonlFormatError extends Error {
  constructor(
    readonly lineNumber: number,
    /** The message without the line number. */
    readonly detail: string,
  ) {
    super(`line ${lineNumber}: ${detail}`);
    this.name = "JsonlFormatError";
  }
}

/** The result URL answered 4xx: signed bulk URLs expire (7 days), so a new operation is needed. */
export class BulkUrlExpiredError extends Error {
  constructor(readonly status: number) {
    super(`the bulk result URL answered HTTP ${status} (expired or no longer valid)`);
    this.name = "BulkUrlExpiredError";
  }
}

export async function* readJsonlLines(
  source: AsyncIterable<string>,
  options: { skipLines?: number } = {},
): AsyncGenerator<JsonlLine> {
  const skip = options.skipLines ?? 0;
  let lineNumber = 0;
  for await (const raw of source) {
    lineNumber++;
    if (lineNumber <= skip) continue;
    const text = raw.trim();
    if (text === "") continue;
    let value: unknown;
    try {
      // Plain JSON.parse is exact here: GraphQL serialises ID and UnsignedInt64 as strings, so a
      // bulk result never holds a bare integer beyond 2^53 (webhook bodies do: see lossless-json.ts).
      value = JSON.parse(text);
    } catch (error) {
      throw new JsonlFormatError(lineNumber, `not valid JSON (${(error as Error).message})`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new JsonlFormatError(lineNumber, "expected a JSON object");
    }
    yield { lineNumber, value: value as Record<string, unknown> };
  }
}

/**
 * The bytes of the document at `url`, streamed as they arrive. The import splits them into
 * lines itself (jsonlTextLines), on its parse thread when it has one (parallel-import.ts).
 */
export async function* fetchJsonlChunks(
  url: string,
  fetchImpl: typeof globalThis.fetch = globalThis.fetch,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const response = await fetchImpl(url, { signal });
  if (response.status >= 400 && response.status < 500) throw new BulkUrlExpiredError(response.status);
  if (!response.ok || !response.body) throw new Error(`bulk result download failed: HTTP ${response.status}`);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** The lines of a JSONL document given as chunks of bytes or text (any boundaries). */
export async function* jsonlTextLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const input = Readable.from(asBuffers(chunks));
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** readline decodes Buffers and strings; a Uint8Array (what a worker message carries) becomes a Buffer view, not a copy. */
async function* asBuffers(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer | string> {
  for await (const chunk of chunks) yield typeof chunk === "string" || Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
