import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    // Packing builds the package (a full type-check and the declaration bundle) and installs it.
    hookTimeout: 300_000,
  },
});
