import "vitest";
import type { Seeded } from "@classroom/local/seed";
import type { Fixtures } from "./fixtures.ts";

declare module "vitest" {
  export interface ProvidedContext {
    e2e: { webUrl: string; apiUrl: string; demo: Seeded; fixtures: Fixtures };
  }
}
