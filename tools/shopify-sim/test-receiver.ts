/**
 * Test helper: a local HTTP server (127.0.0.1, ephemeral port) standing in for the app's
 * webhook endpoint. Records each request's raw body and headers and answers with the status
 * the test chooses.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Status the receiver answered with. */
  status: number;
}

export async function startTestReceiver(answer: (request: Omit<ReceivedRequest, "status">, index: number) => number | Promise<number> = () => 200) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const request = { path: req.url ?? "/", headers: req.headers, rawBody: Buffer.concat(chunks) };
      const status = await answer(request, received.length);
      received.push({ ...request, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
