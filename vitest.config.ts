import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "duckdb", include: ["test/**/*.test.ts"] } },
      {
        // The hand-checked preset fixtures and the engine-neutral run tests again, on a real PostgreSQL
        // (test/run/support.ts memoryStore).
        extends: true,
        test: {
          name: "postgres",
          include: [
            "test/run/presets/**/*.test.ts",
            "test/run/engines/**/*.test.ts",
            "test/run/history/**/*.test.ts",
            "test/run/lifecycle/**/*.test.ts",
            "test/run/churn/**/*.test.ts",
            "test/run/backfill.test.ts",
            "test/run/policy-versions.test.ts",
            "test/run/events/**/*.test.ts",
            "test/run/clv/**/*.test.ts",
            "test/run/report/**/*.test.ts",
            "test/run/decisions/**/*.test.ts",
            "test/run/recommend/**/*.test.ts",
          ],
          globalSetup: ["test/support/postgres-global.ts"],
          env: { TIERWISE_TEST_ENGINE: "postgres" },
        },
      },
    ],
  },
});
