/**
 * A local Cognito user pool: the `cognito-local` package, run as a child process. It signs
 * real RS256 tokens and serves its JWKS, and it answers the same Cognito API calls the web
 * app and the API use on AWS (InitiateAuth, GetUser, AdminCreateUser, ...).
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { supervise } from "./child.ts";
import { freePort, portInUse } from "./dynamo.ts";

export interface CognitoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface Pool {
  userPoolId: string;
  clientId: string;
  /** The `iss` claim of its tokens. */
  issuer: string;
  jwksUri: string;
}

export interface PoolUser {
  email: string;
  password: string;
  name: string;
}

export class CognitoLocalError extends Error {
  override readonly name = "CognitoLocalError";
}

const POOL_NAME = "classroom";
const CLIENT_NAME = "classroom-web";

export async function startCognitoLocal(options: { dataDir: string; port?: number; timeoutMs?: number }): Promise<CognitoLocal> {
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && (await portInUse(port))) {
    throw new CognitoLocalError(`Port ${port} is already in use; the local Cognito cannot start there.`);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const bin = createRequire(import.meta.url).resolve("cognito-local/lib/bin/start.js");
  const child = spawn(process.execPath, [bin], {
    cwd: options.dataDir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const service = supervise(child);

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (service.exited()) throw new CognitoLocalError(`The local Cognito exited while starting:\n${service.output()}`);
    const up = await fetch(`${endpoint}/health`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new CognitoLocalError(`The local Cognito did not answer on ${endpoint} in time:\n${service.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    port,
    stop: service.stop,
  };
}

export function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** Finds or creates the Classroom pool and its web client (email usernames, password sign-in). */
export async function ensurePool(endpoint: string): Promise<Pool> {
  const client = cognitoClient(endpoint);
  const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((p) => p.Name === POOL_NAME)?.Id;
  if (!userPoolId) {
    const created = await client.send(new CreateUserPoolCommand({ PoolName: POOL_NAME, UsernameAttributes: ["email"] }));
    userPoolId = created.UserPool!.Id!;
  }
  const clients = await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }));
  let clientId = clients.UserPoolClients?.find((c) => c.ClientName === CLIENT_NAME)?.ClientId;
  if (!clientId) {
    const created = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: CLIENT_NAME,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    clientId = created.UserPoolClient!.ClientId!;
  }
  client.destroy();
  const issuer = `${endpoint}/${userPoolId}`;
  return { userPoolId, clientId, issuer, jwksUri: `${issuer}/.well-known/jwks.json` };
}

/** Creates a confirmed user with a permanent password (or leaves an existing one); returns its `sub`. */
export async function ensureUser(endpoint: string, pool: Pool, user: PoolUser): Promise<string> {
  const client = cognitoClient(endpoint);
  try {
    const existing = await client
      .send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: user.email }))
      .catch((error: { name?: string }) => {
        if (error.name === "UserNotFoundException") return undefined;
        throw error;
      });
    if (existing) return existing.UserAttributes!.find((a) => a.Name === "sub")!.Value!;
    const created = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: user.email,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: user.email },
          { Name: "email_verified", Value: "true" },
          { Name: "name", Value: user.name },
        ],
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: user.email, Password: user.password, Permanent: true }),
    );
    return created.User!.Attributes!.find((a) => a.Name === "sub")!.Value!;
  } finally {
    client.destroy();
  }
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** Signs in with email and password, exactly as the web app does. */
export async function signIn(endpoint: string, pool: Pool, email: string, password: string): Promise<Tokens> {
  const client = cognitoClient(endpoint);
  try {
    const result = await client.send(
      new InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const auth = result.AuthenticationResult!;
    return { accessToken: auth.AccessToken!, idToken: auth.IdToken!, refreshToken: auth.RefreshToken! };
  } finally {
    client.destroy();
  }
}
