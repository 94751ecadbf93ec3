import { defineConfig } from "vitest/config";

/** `pnpm test:faults`: each file starts (and breaks) a stack of its own in its worker. */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 90_000,
  },
});
