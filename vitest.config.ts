import { defineConfig } from "vitest/config";

const shared = {
  exclude: ["**/node_modules/**", "**/dist/**"],
  // Colyseus keeps a process-wide matchmaker: each test file gets its own process
  pool: "forks" as const,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    reporters: ["default"],
    projects: [
      {
        test: {
          ...shared,
          name: "unit+integration",
          include: ["{shared,server,client,assets}/**/*.test.{ts,tsx}", "tests/integration/**/*.test.ts", "tests/platforms/**/*.test.ts"],
          maxWorkers: 2,
          testTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          // browser tests run last and one at a time: software WebGL and real-time
          // audio need the machine's two cores to themselves
          name: "browser",
          include: ["tests/e2e/**/*.test.ts"],
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 90_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
