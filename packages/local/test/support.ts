/** Helpers for tests over real HTTP: real users in the local pool, real tokens, plain fetch. */
import { createClient } from "@classroom/client";
import { ensureUser, signIn } from "@classroom/local-services/cognito";
import { createPrivateKey, randomUUID, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inject } from "vitest";
import { responseCheck } from "./openapi-check.ts";

export const stack = inject("stack");

export interface TestUser {
  sub: string;
  email: string;
  name: string;
  token: string;
  idToken: string;
}

let counter = 0;

export async function newUser(name = `Person ${++counter}`): Promise<TestUser> {
  const email = `${randomUUID().slice(0, 12)}@school.test`;
  const password = "Correct-Horse-9";
  const sub = await ensureUser(stack.cognitoEndpoint, stack.pool, { email, password, name });
  const tokens = await signIn(stack.cognitoEndpoint, stack.pool, email, password);
  return { sub, email, name, token: tokens.accessToken, idToken: tokens.idToken };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.rawBody !== undefined ? { body: options.rawBody } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (the docs page)
  }
  // Every REST answer must match the OpenAPI document's schema for its operation and status.
  const problem = (await responseCheck(stack.apiUrl)).problem(method, path, response.status, response.headers.get("content-type"), body);
  if (problem) throw new Error(`Response does not match the OpenAPI document: ${problem}`);
  return { status: response.status, body: body as T, headers: response.headers };
}

export const client = (user: TestUser) => createClient({ url: stack.apiUrl, getToken: () => user.token });

export interface TestClass {
  class_id: string;
  teacher: TestUser;
  students: TestUser[];
}

/** A class made over HTTP by a fresh teacher, with fresh students added by email. */
export async function makeClass(students = 2): Promise<TestClass> {
  const teacher = await newUser("Ms Teacher");
  const created = await call("POST", "/classes", { token: teacher.token, body: { name: "History" } });
  if (created.status !== 201) throw new Error(`class not created: ${JSON.stringify(created.body)}`);
  const people = await Promise.all(Array.from({ length: students }, () => newUser()));
  for (const person of people) {
    // The API learns a user's email the first time it sees their token.
    await call("GET", "/classes", { token: person.token });
    const added = await call("POST", `/classes/${created.body.class_id}/members`, {
      token: teacher.token,
      body: { email: person.email, role: "student" },
    });
    if (added.status !== 201) throw new Error(`member not added: ${JSON.stringify(added.body)}`);
  }
  return { class_id: created.body.class_id, teacher, students: people };
}

/** Signs a token with the local pool's own key, with the claims a test wants. */
export function forgeToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const keyFile = createRequire(import.meta.url).resolve("cognito-local/lib/keys/cognitoLocal.private.json");
  const { pem } = JSON.parse(readFileSync(keyFile, "utf8")) as { pem: string };
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const head = encode({ alg: "RS256", typ: "JWT", kid: "CognitoLocal", ...header });
  const body = encode({
    sub: randomUUID(),
    token_use: "access",
    client_id: stack.pool.clientId,
    iss: stack.pool.issuer,
    iat: now,
    exp: now + 600,
    ...claims,
  });
  const signature = sign("RSA-SHA256", Buffer.from(`${head}.${body}`), createPrivateKey(pem)).toString("base64url");
  return `${head}.${body}.${signature}`;
}
