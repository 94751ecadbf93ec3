import { defineConfig } from "vitest/config";

/** `pnpm test:security`: attacks over real HTTP against a stack of its own (see test/security/global-setup.ts). */
export default defineConfig({
  test: {
    include: ["test/security/**/*.test.ts"],
    globalSetup: ["test/security/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    // One file at a time: the suites measure the table before and after, and share 2 cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
