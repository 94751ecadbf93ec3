import "vitest";
import type { Seeded } from "@classroom/local/seed";

declare module "vitest" {
  export interface ProvidedContext {
    e2e: { webUrl: string; apiUrl: string; demo: Seeded };
  }
}
