/**
 * A run writes its snapshot atomically: killed at any moment (SIGKILL, in a
 * child process) or failing at any step (thrown error), it leaves the store
 * openable, with the previous snapshot as the latest (or a complete new
 * one), every snapshot whole, and no assignment without its tw_runs row.
 *
 * Bounded by counts, never by wall time: one kill at each named point, then
 * RANDOM_KILLS kills at random moments (at most MAX_RANDOM_ATTEMPTS child
 * runs). Each test works on its own copy of the store, and no child outlives
 * its test (afterEach kills it and waits for its exit), so a child that still
 * holds the DuckDB file lock can never fail the next test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { generateDataset } from "../../src/generate/index.js";
import { ingestDirectory } from "../../src/ingest/ingest.js";
import { loadPolicy, presetNames } from "../../src/policy/load-policy.js";
import { run } from "../../src/run/run.js";
import { ident, sql } from "../../src/sql/index.js";
import { openStore } from "../../src/store/index.js";
import { removeDir, tempDir } from "../generate/dataset.js";
import { rawRows } from "../support/raw-rows.js";
import { FaultEngine, type KillPoint, killPointText, type RecordedStatement } from "./child/fault-engine.js";

const CHILD = fileURLToPath(new URL("./child/run-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const AS_OF = "2026-01-01";
/** Kills at random moments of a run, on top of one kill at each named point. */
const RANDOM_KILLS = 10;
/** Child runs tried for them: a run that finishes before its kill lands is not a kill. */
const MAX_RANDOM_ATTEMPTS = 4 * RANDOM_KILLS;

let dir = "";
/** The store after one complete run, copied for each test. */
let baseStore = "";
/** Child processes still running; afterEach ends them and waits for their exit. */
const children = new Set<ChildProcess>();
/**
 * Which test may start children: afterEach moves it on, so a loop still running after its test
 * failed (or hit vitest's hang limit) starts no more children.
 */
let currentTest = 0;
/** Assignments per scheme of a complete run (every run here grades the same data as of the same date). */
let perScheme: Record<string, number> = {};
/** The statements of a complete run, in order. */
let statements: RecordedStatement[] = [];

interface ChildRun {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from `ready` (the run starting) to exit. */
  readonly runMs: number;
}

/** Run the child on `store` for test number `test`; with `killAfterMs`, SIGKILL it that long after the run started. */
function runChild(test: number, store: string, env: Record<string, string>, killAfterMs?: number): Promise<ChildRun> {
  if (test !== currentTest) return Promise.reject(new Error("the test has ended"));
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", CHILD, store, AS_OF], {
      cwd: ROOT,
      env: { ...process.env, ...env, NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let readyAt = 0;
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
      if (!readyAt && stdout.includes("ready\n")) {
        readyAt = performance.now();
        if (killAfterMs !== undefined) setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      }
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    children.add(child);
    child.on("error", (error) => {
      children.delete(child);
      reject(error);
    });
    child.on("close", (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr, runMs: readyAt ? performance.now() - readyAt : 0 });
    });
  });
}

async function withStore<T>(store: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openStore(store);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

interface StoreState {
  readonly runs: readonly { run_id: number; graded: number }[];
  /** run id → scheme → assignments. */
  readonly assignments: Readonly<Record<number, Record<string, number>>>;
  readonly orphans: number;
}

async function state(engine: Engine): Promise<StoreState> {
  const runs = await engine.query(
    rawRows<{ run_id: unknown; summary: string }>(sql`SELECT run_id, summary FROM ${ident("tw_runs")} ORDER BY run_id`),
  );
  const counts = await engine.query(
    rawRows<{ run_id: unknown; scheme: string; n: unknown }>(
      sql`SELECT run_id, scheme, count(*) AS n FROM ${ident("tw_assignments")} GROUP BY run_id, scheme`,
    ),
  );
  // Every table a run writes, read directly (the tw_assignments view would hide grades without names).
  const orphans = await engine.query(
    rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM (
      SELECT run_id FROM ${ident("tw_grades")} UNION ALL SELECT run_id FROM ${ident("tw_run_schemes")}
      UNION ALL SELECT run_id FROM ${ident("tw_run_tiers")} UNION ALL SELECT run_id FROM ${ident("tw_run_rules")}) a
    WHERE NOT EXISTS (SELECT 1 FROM ${ident("tw_runs")} r WHERE r.run_id = a.run_id)`),
  );
  const assignments: Record<number, Record<string, number>> = {};
  for (const c of counts) {
    const id = Number(c.run_id);
    assignments[id] = { ...(assignments[id] ?? {}), [c.scheme]: Number(c.n) };
  }
  return {
    runs: runs.map((r) => ({
      run_id: Number(r.run_id),
      graded: (JSON.parse(r.summary) as { schemes: { graded: number }[] }).schemes.reduce((n, s) => n + s.graded, 0),
    })),
    assignments,
    orphans: Number(orphans[0]?.n ?? 0),
  };
}

/** The invariants after any interruption; returns the latest run id. */
async function expectIntact(store: string, before: StoreState, label: string): Promise<number> {
  const after = await withStore(store, state);
  const total = Object.values(perScheme).reduce((n, k) => n + k, 0);
  expect(after.orphans, `${label}: assignments without a run`).toBe(0);
  // Earlier snapshots are untouched.
  for (const r of before.runs) expect(after.assignments[r.run_id], `${label}: run ${r.run_id}`).toEqual(perScheme);
  // At most one new run, and only a complete one.
  const added = after.runs.filter((r) => !before.runs.some((b) => b.run_id === r.run_id));
  expect(added.length, `${label}: new runs`).toBeLessThanOrEqual(1);
  for (const r of added) {
    expect(after.assignments[r.run_id], `${label}: new run ${r.run_id}`).toEqual(perScheme);
    expect(r.graded, `${label}: summary of run ${r.run_id}`).toBe(total);
  }
  const latest = after.runs.at(-1)?.run_id ?? 0;
  expect(latest, label).toBe(added[0]?.run_id ?? before.runs.at(-1)?.run_id);
  return latest;
}

/** A small deterministic PRNG, so a failing delay can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A copy of the base store (and its write-ahead log, if any) for one test. */
async function storeCopy(name: string): Promise<string> {
  const path = join(dir, `${name}.duckdb`);
  await copyFile(baseStore, path);
  if (existsSync(`${baseStore}.wal`)) await copyFile(`${baseStore}.wal`, `${path}.wal`);
  return path;
}

beforeAll(async () => {
  dir = await tempDir("kill");
  const data = join(dir, "data");
  baseStore = join(dir, "base.duckdb");
  await generateDataset({ outDir: data, customers: 1000, seed: 5, format: "csv", asOf: AS_OF, threads: 1 });
  const plain = await openStore(baseStore);
  const engine = new FaultEngine(plain);
  try {
    await ingestDirectory(plain, { dir: data, rejectsPath: join(dir, "store.rejects.csv") });
    const first = await run(engine, await loadPolicy({ presets: ["all"] }), { asOf: AS_OF });
    statements = [...engine.statements];
    perScheme = Object.fromEntries(first.schemes.map((s) => [s.scheme, s.graded]));
  } finally {
    await engine.close();
  }
});

afterEach(async () => {
  currentTest += 1;
  const left = [...children];
  for (const child of left) child.kill("SIGKILL");
  await Promise.all(
    left.map((c) =>
      c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once("close", r)),
    ),
  );
});

afterAll(async () => {
  if (dir) await removeDir(dir);
});

describe("a run killed with SIGKILL", () => {
  it("leaves the store intact at every named point and at random moments", async () => {
    const test = currentTest;
    const store = await storeCopy("killed");
    const inTransaction = statements.filter((s) => s.inTransaction);
    expect(inTransaction.length).toBeGreaterThanOrEqual(presetNames().length + 2);
    const firstInTransaction = inTransaction[0]?.index ?? 1;
    // Before the transaction (facts built, first scheme graded), after every statement
    // inside it, just before COMMIT and just after it.
    const named: KillPoint[] = [
      { after: 3 },
      { after: Math.max(1, firstInTransaction - 2) },
      ...inTransaction.map((s) => ({ after: s.index })),
      "before-commit",
      "after-commit",
    ];
    const kills: string[] = [];
    let completed = 0;
    for (const point of named) {
      const before = await withStore(store, state);
      const child = await runChild(test, store, { TIERWISE_KILL_AT: killPointText(point) });
      const label = `killed at ${killPointText(point)} (${typeof point === "string" ? point : statements[point.after - 1]?.text})`;
      expect(child.signal, `${label}\n${child.stderr}`).toBe("SIGKILL");
      kills.push(label);
      if ((await expectIntact(store, before, label)) !== before.runs.at(-1)?.run_id) completed += 1;
    }
    // Only a kill after COMMIT may leave a new run.
    expect(completed).toBe(1);

    // Random moments: the run's own duration, measured on a complete child run.
    const full = await runChild(test, store, {});
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toMatch(/done \d+/);
    // A run that finishes before its kill lands (the machine got faster) is checked too, and its time
    // becomes the estimate for the next delays.
    const next = random(20_260_101);
    let runMs = full.runMs;
    let randomKills = 0;
    for (let attempt = 0; randomKills < RANDOM_KILLS && attempt < MAX_RANDOM_ATTEMPTS; attempt++) {
      const delay = Math.round(next() * runMs);
      const before = await withStore(store, state);
      const child = await runChild(test, store, {}, delay);
      const label = `killed ${delay} ms into the run (of ${Math.round(runMs)} ms)`;
      if (child.signal === "SIGKILL") {
        kills.push(label);
        randomKills += 1;
      } else {
        expect(child.code, `${label}\n${child.stderr}`).toBe(0);
        runMs = child.runMs;
      }
      await expectIntact(store, before, label);
    }
    expect(randomKills).toBe(RANDOM_KILLS);
    expect(kills.length).toBe(named.length + RANDOM_KILLS);
  });
});

describe("a run that fails at a step", () => {
  it("throws and leaves no partial snapshot and no work tables, at every step", async () => {
    const store = await storeCopy("failing");
    const policy = await loadPolicy({ presets: ["all"] });
    const steps: string[] = [];
    await withStore(store, async (engine) => {
      await run(engine, policy, { asOf: AS_OF, onStep: (step) => steps.push(step) });
    });
    const points = [...steps, ...presetNames().map((p) => `insert ${p}`), "before commit"];
    expect(steps).toContain("writing snapshot");
    for (const failAt of points) {
      await withStore(store, async (engine) => {
        const before = await state(engine);
        await expect(run(engine, policy, { asOf: AS_OF, failAt }), failAt).rejects.toThrow(/test hook/);
        const after = await state(engine);
        expect(after, failAt).toEqual(before);
        const work = await engine.query(
          rawRows<{ n: unknown }>(
            sql`SELECT count(*) AS n FROM duckdb_tables() WHERE temporary AND (table_name LIKE 'tw_facts%' OR table_name LIKE 'tw_grades%')`,
          ),
        );
        expect(Number(work[0]?.n), `${failAt}: temp tables left`).toBe(0);
      });
    }
  });
});
