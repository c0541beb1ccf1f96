import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { type CliRun, runCli } from "../support/cli.js";

/**
 * Shared by the "errors" hostile corpus (test/hostile/errors-*.test.ts):
 * what a user-caused failure must look like, and a small store to run
 * hostile commands against.
 */

/** A line of a stack trace (`    at fn (file.ts:12:5)`). */
const STACK_LINE = /^\s+at\s.+(:\d+:\d+\)?|<anonymous>\)?)$/m;

/**
 * The run printed no "unexpected error", no "internal error" and no stack
 * trace; when it failed, it exited 1 or 2 and every stderr line is a coded
 * problem (`error: CODE …`, `error: file:line:col CODE …`), a usage error
 * (exit 2), or a count/hint line that follows one.
 */
export function expectCoded(r: CliRun, what: string): void {
  expect(r.stderr, what).not.toMatch(/unexpected error|internal error/i);
  expect(r.stderr, what).not.toMatch(STACK_LINE);
  expect(r.signal, what).toBeNull();
  if (r.code === 0) return;
  expect([1, 2], `${what}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  const first = r.stderr.split("\n")[0] ?? "";
  expect(first, what).toMatch(/^error: /);
  if (r.code === 1) expect(first, `${what}: a failure names its code`).toMatch(/\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b/);
}

/** Run the CLI and check the run is coded as above; returns the run for further checks. */
export async function hostileRun(args: readonly string[], what = args.join(" ")): Promise<CliRun> {
  const r = await runCli(args);
  expectCoded(r, what);
  return r;
}

/** A fresh temp folder. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A small DuckDB store with a generated business (200 customers) as of 2026-01-01; returns its path. */
export async function smallStore(dir: string): Promise<{ db: string; data: string }> {
  const data = join(dir, "data");
  const db = join(dir, "shop.duckdb");
  const gen = await runCli(["generate", "--out", data, "--customers", "200", "--as-of", "2026-01-01"]);
  expect(gen.code, gen.stderr).toBe(0);
  const ingest = await runCli(["ingest", data, "--db", db]);
  expect(ingest.code, ingest.stderr).toBe(0);
  return { db, data };
}

/** The text of a shipped preset. */
export function presetText(name: string): Promise<string> {
  return readFile(new URL(`../../presets/${name}.yaml`, import.meta.url), "utf8");
}

/** Write `text` to `dir/name` and return the path. */
export async function writeIn(dir: string, name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** The table files of a generated data folder. */
export function dataFiles(data: string): Promise<string[]> {
  return readdir(data);
}
