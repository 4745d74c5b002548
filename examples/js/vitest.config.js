import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./localddb/global-setup.js"],
    setupFiles: ["./localddb/setup.js"],
  },
});
