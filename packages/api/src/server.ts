/** The API on a plain Node HTTP server, for `pnpm dev` and the tests: the same `handle` Lambda runs. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_BODY_BYTES, handle } from "./app.ts";

async function readBody(req: IncomingMessage): Promise<Buffer | "too_large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return "too_large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The Host header when it is a host name or address with an optional port; anything else is not used as one. */
function originHost(header: string | undefined): string | undefined {
  return header && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(header) ? header : undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export function startServer(options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer(async (req, res) => {
    try {
      const method = req.method ?? "GET";
      // Node names headers in lower case; a repeated one's values are joined as HTTP allows.
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      const hasBody = method !== "GET" && method !== "HEAD";
      const body = hasBody ? await readBody(req) : undefined;
      if (body === "too_large") {
        res.writeHead(413, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify({ error: { code: "request.payload_too_large", message: "The request body is too large." } }));
        req.destroy();
        return;
      }
      const response = await handle({
        method,
        origin: `http://${originHost(req.headers.host) ?? `${host}:${(server.address() as AddressInfo).port}`}`,
        target: req.url ?? "/",
        headers,
        ...(body?.length ? { body: new Uint8Array(body) } : {}),
      });
      res.writeHead(response.status, response.headers);
      res.end(response.body);
    } catch {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on our side. Please try again." } }));
    }
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}`,
        port,
        server,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
