/**
 * Reads a bulk operation's JSONL result line by line from its URL, as the body streams in, so a
 * multi-gigabyte export never sits in memory (SHOPIFY.md §4).
 */

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

/**
 * The lines of a JSONL document given as chunks of bytes or text (any boundaries), split as
 * node:readline splits them (a line ends at "\n", "\r\n" or a lone "\r"; a last line without an
 * end counts; bytes that are not UTF-8 become U+FFFD), without readline's stream machinery: its
 * decoder, regex and events were about a fifth of the import's parse thread at 1M orders.
 */
export async function* jsonlTextLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const lines: string[] = [];
  // Text after the last line end seen (a "\r" at its end may still pair with a "\n" to come).
  let rest = "";
  for await (const chunk of chunks) {
    const text = rest + (typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    rest = text.slice(splitLines(text, lines, false));
    yield* lines;
    lines.length = 0;
  }
  const text = rest + decoder.decode();
  const end = splitLines(text, lines, true);
  if (end < text.length) lines.push(text.slice(end));
  yield* lines;
}

const LF = 10;
const CR = 13;

/**
 * Appends the complete lines of `text` to `lines`; returns where the incomplete rest starts. A
 * "\r" last in the text ends a line only when `final` (else a "\n" may follow in the next chunk).
 */
function splitLines(text: string, lines: string[], final: boolean): number {
  let start = 0;
  // The next "\r" at or after `start`, looked up again only once passed: bulk JSONL has none
  // outside of escapes, so one search per chunk, not one per line.
  let cr = text.indexOf("\r");
  for (;;) {
    if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
    const lf = text.indexOf("\n", start);
    const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
    if (end === -1) return start;
    const crlf = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF;
    if (!final && end === text.length - 1 && text.charCodeAt(end) === CR) return start;
    lines.push(text.slice(start, end));
    start = end + (crlf ? 2 : 1);
  }
}
