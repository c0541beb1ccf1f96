import { defineConfig } from "vitest/config";

/**
 * Test files under test/run/ that run once, not again on PostgreSQL. Every other file under
 * test/run/ is engine-neutral and runs on both engines by default (test/README.md, "Engines").
 */
const RUN_ONCE = [
  // Golden SQL: compiles every preset for both dialects itself, no engine involved.
  "test/run/golden.test.ts",
  // SIGKILLs child processes that hold a DuckDB store file (the file lock, a partly written file).
  "test/run/kill.test.ts",
];

/**
 * Test files that compare DuckDB with PostgreSQL themselves or test PostgreSQL alone: they need the
 * run's one PostgreSQL server, so they run once, in the `postgres` project only. Convention: a test
 * file whose name contains `postgres` is one of them.
 */
const POSTGRES_ONLY = ["test/**/*postgres*.test.ts", "test/run/cross-engine.test.ts"];

export default defineConfig({
  test: {
    // A hang detector, not a performance test: on the shared 2-core CI machine under load 8–12 a
    // healthy test has taken many times its quiet-machine time, and a fixed wall-clock limit turned
    // slowness into failures. Tests bound their work by count (property runs, kills, rows); this
    // limit only ends a test that is stuck.
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
    teardownTimeout: 5 * 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: { name: "duckdb", include: ["test/**/*.test.ts"], exclude: POSTGRES_ONLY },
      },
      {
        // Everything under test/run/ again, on a real PostgreSQL (test/run/support.ts memoryStore honours
        // TIERWISE_TEST_ENGINE), except RUN_ONCE; plus the PostgreSQL-only files. One server for the
        // whole run (test/support/postgres-global.ts); each file makes its own databases on it.
        extends: true,
        test: {
          name: "postgres",
          include: ["test/run/**/*.test.ts", ...POSTGRES_ONLY],
          exclude: RUN_ONCE,
          globalSetup: ["test/support/postgres-global.ts"],
          env: { TIERWISE_TEST_ENGINE: "postgres" },
        },
      },
    ],
  },
});
