/** Minimal HTTP clients for the REST paths and tRPC, as the real clients call them. */
import superjson from "superjson";

export class Api {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }

  async rest(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  trpcQueryUrl(path: string, input: unknown): string {
    return `${this.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  }

  async query<T = any>(path: string, token: string, input: unknown): Promise<{ status: number; data?: T }> {
    const response = await fetch(this.trpcQueryUrl(path, input), { headers: { authorization: `Bearer ${token}` } });
    const json = (await response.json()) as { result?: { data: never } };
    return { status: response.status, ...(json.result ? { data: superjson.deserialize<T>(json.result.data) } : {}) };
  }

  async mutate<T = any>(path: string, token: string, input: unknown): Promise<{ status: number; data?: T }> {
    const response = await fetch(`${this.url}/trpc/${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize(input)),
    });
    const json = (await response.json()) as { result?: { data: never } };
    return { status: response.status, ...(json.result ? { data: superjson.deserialize<T>(json.result.data) } : {}) };
  }
}
