import type { TestProject } from "vitest/node";
import { type Stack, startStack } from "../src/stack.ts";

let stack: Stack | undefined;

export default async function setup(project: TestProject) {
  stack = await startStack({ tableName: "classroom-test" });
  project.provide("stack", {
    apiUrl: stack.apiUrl,
    cognitoEndpoint: stack.cognitoEndpoint,
    pool: stack.pool,
    env: stack.env,
  });
  return async () => {
    await stack?.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      apiUrl: string;
      cognitoEndpoint: string;
      pool: { userPoolId: string; clientId: string; issuer: string; jwksUri: string };
      env: Record<string, string>;
    };
  }
}
