/**
 * Engine-neutral tests run on both engines by default: the vitest `postgres` project covers every test
 * file under test/run/ (a new folder there included), except the few listed in vitest.config.ts as run
 * once; the files that need PostgreSQL alone run in the `postgres` project only. Asked of vitest itself
 * (the resolved projects' own file matching), so a hand-maintained include list cannot creep back.
 */
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVitest, type TestProject, type Vitest } from "vitest/node";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The test/run files that run once, each for a reason given in vitest.config.ts. */
const RUN_ONCE = ["test/run/golden.test.ts", "test/run/kill.test.ts"];
/** Files that need the run's PostgreSQL server: in the `postgres` project only. */
const POSTGRES_ONLY = [
  "test/cli/postgres.test.ts",
  "test/engine/postgres.test.ts",
  "test/engine/postgres-ingest.test.ts",
  "test/engine/postgres-parsers.test.ts",
  "test/policy/hostile-postgres.test.ts",
  "test/run/cross-engine.test.ts",
];

let vitest: Vitest;
let duckdb: TestProject;
let postgres: TestProject;

beforeAll(async () => {
  vitest = await createVitest("test", { root: ROOT, watch: false, run: true }, {}, {});
  const project = (name: string) => {
    const found = vitest.projects.find((p) => p.name === name);
    if (!found) throw new Error(`no vitest project ${name}`);
    return found;
  };
  duckdb = project("duckdb");
  postgres = project("postgres");
});

afterAll(async () => {
  await vitest?.close();
});

const runs = (project: TestProject, file: string) => project.matchesTestGlob(join(ROOT, file));

function* testFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* testFiles(path);
    else if (name.endsWith(".test.ts")) yield relative(ROOT, path);
  }
}

describe("the vitest projects", () => {
  it("run a new test file under test/run/ on both engines, wherever it is", () => {
    for (const file of ["test/run/new-thing.test.ts", "test/run/new-folder/deep/new-thing.test.ts"]) {
      expect(runs(duckdb, file), `${file} on duckdb`).toBe(true);
      expect(runs(postgres, file), `${file} on postgres`).toBe(true);
    }
  });

  it("run every file under test/run/ on both engines, except the ones listed to run once", () => {
    const files = [...testFiles(join(ROOT, "test/run"))];
    expect(files.length).toBeGreaterThan(30);
    const once = files.filter((f) => !runs(duckdb, f) || !runs(postgres, f));
    // Files that compare the engines themselves run once, in the postgres project: cross-engine.test.ts
    // and, by the naming convention, files whose name contains `postgres`.
    const comparing = files.filter((f) => f === "test/run/cross-engine.test.ts" || /postgres[^/]*$/.test(f));
    expect(once.sort()).toEqual([...RUN_ONCE, ...comparing].sort());
    for (const f of RUN_ONCE) expect(runs(duckdb, f), f).toBe(true);
  });

  it("run the PostgreSQL-only files once, in the postgres project, and nothing outside test/run/ twice", () => {
    for (const f of POSTGRES_ONLY) {
      expect(runs(postgres, f), f).toBe(true);
      expect(runs(duckdb, f), f).toBe(false);
    }
    expect(runs(postgres, "test/engine/postgres-new.test.ts")).toBe(true);
    expect(runs(duckdb, "test/engine/postgres-new.test.ts")).toBe(false);
    const elsewhere = [...testFiles(join(ROOT, "test"))].filter((f) => !f.startsWith("test/run/"));
    for (const f of elsewhere) {
      expect(runs(duckdb, f) !== runs(postgres, f), `${f} runs exactly once`).toBe(true);
    }
  });
});
