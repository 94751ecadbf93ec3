/**
 * A tiny HTTP proxy put in front of the local Cognito's JWKS URL, counting the requests that
 * reach it, so a test can prove the API does not download the key set for every token.
 * `GET /__count` answers the count; `POST /__down` and `POST /__up` make the JWKS fail or work.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface JwksProxy {
  url: string;
  stop(): Promise<void>;
}

export async function startJwksProxy(upstream: string): Promise<JwksProxy> {
  let count = 0;
  let down = false;
  const server = createServer(async (req, res) => {
    const path = req.url ?? "/";
    if (path === "/__count") return void res.end(JSON.stringify({ count }));
    if (path === "/__down" || path === "/__up") {
      down = path === "/__down";
      return void res.end("{}");
    }
    if (path.endsWith("/.well-known/jwks.json")) count++;
    if (down) {
      res.writeHead(503);
      return void res.end();
    }
    try {
      const answer = await fetch(`${upstream}${path}`);
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.writeHead(502);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
