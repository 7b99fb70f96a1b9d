import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{shared,server,client,tests,assets}/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // Colyseus keeps a process-wide matchmaker: each test file gets its own process
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
