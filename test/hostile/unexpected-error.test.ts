import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, REJECT_CODES } from "../../src/errors/index.js";
import { POLICY_CODES } from "../../src/policy/codes.js";
import { EXPRESSION_CODES } from "../../src/policy/expression/codes.js";
import type { CliRun } from "../support/cli.js";
import { expectCoded } from "./errors-corpus.js";

/**
 * Issue 13: "No 'unexpected error' for anything a user can cause". Two
 * halves: (a) every code of the catalogue (src/errors/codes.ts, the policy
 * and expression codes) is triggered by some test, or is listed below with
 * the reason it is not; (b) the hostile corpora of test/hostile/errors-*.test.ts
 * run the real CLI through `expectCoded`, which fails on "unexpected error",
 * "internal error" or a stack trace — checked here to catch exactly those.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const THIS = fileURLToPath(import.meta.url);

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

/** Codes no test triggers, each with why. A code listed here that a test does name fails the walk (the list stays true). */
const NOT_TRIGGERED: Readonly<Record<string, string>> = {
  MALFORMED_ROW:
    "the fallback for a CSV reader error of a kind the reader does not name; every kind DuckDB reports maps to its own code",
  REJECTS_NOT_PLACED:
    "the rename of the synced rejects file within its own folder after commit; the folder was probed writable before the ingest, so only a race (the target replaced by a folder in between) makes it fail",
};

/**
 * Codes that are in the catalogue but raised nowhere in src/ (checked: the reason above must stay true). None
 * since OUTPUT_EXISTS and DUPLICATE_COLUMN left the catalogue; test/errors/catalogue.test.ts fails on any such code.
 */
const UNUSED: string[] = [];

describe("the error catalogue: every code is triggered by a test or listed with a reason", () => {
  const testText = files(join(ROOT, "test"), ".ts")
    .filter((f) => f !== THIS)
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
  const srcText = files(join(ROOT, "src"), ".ts")
    .filter((f) => !relative(ROOT, f).endsWith("codes.ts"))
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
  const catalogue = [
    ...Object.keys(ERROR_CODES),
    ...Object.keys(REJECT_CODES),
    ...Object.keys(POLICY_CODES),
    ...Object.keys(EXPRESSION_CODES),
  ];
  const named = (code: string) => new RegExp(`\\b${code}\\b`).test(testText);

  it("has no code that is neither named by a test nor listed", () => {
    expect(catalogue.filter((c) => !named(c) && !(c in NOT_TRIGGERED))).toEqual([]);
  });

  it("lists only codes that are in the catalogue and that no test names", () => {
    for (const code of Object.keys(NOT_TRIGGERED)) {
      expect(catalogue, code).toContain(code);
      expect(named(code), `${code} is named by a test now: remove it from NOT_TRIGGERED`).toBe(false);
    }
  });

  it("lists as unused only codes that src/ really never raises", () => {
    for (const code of UNUSED) expect(srcText.includes(`"${code}"`), code).toBe(false);
  });
});

describe("the hostile corpora's check catches every uncoded failure", () => {
  const run = (stderr: string, code: number | null = 1): CliRun => ({ code, signal: null, stdout: "", stderr });
  const fails = (r: CliRun) => expect(() => expectCoded(r, "probe")).toThrow();

  it("fails on 'unexpected error', 'internal error' and a stack trace", () => {
    fails(run("unexpected error: Invalid time value\n(run again with --debug for details)\n"));
    fails(run("internal error: a broken invariant\n"));
    fails(run("error: NO_RUNS: the store has no runs yet\n    at findRun (/x/src/run/runs.ts:28:11)\n"));
    fails(run("TypeError: Cannot read properties of undefined\n"));
  });

  it("fails on a failure without a code, an exit code other than 1 or 2, or a signal", () => {
    fails(run("error: something went wrong\n", 1));
    fails(run("error: NO_RUNS: the store has no runs yet\n", 3));
    fails({ code: null, signal: "SIGSEGV", stdout: "", stderr: "" });
  });

  it("passes a coded failure, a usage error and a success", () => {
    expectCoded(run("error: NO_RUNS: the store has no runs yet; run tierwise run first\n", 1), "coded");
    expectCoded(
      run("error: p.yaml:4:7 EXPR_BAD_LITERAL number 1e300 is too large\n1 problem in the policy\n", 1),
      "policy",
    );
    expectCoded(run('error: --top must be a positive whole number (at most 2147483647), got "1e99"\n', 2), "usage");
    expectCoded(run("", 0), "ok");
  });

  it("the corpora hold at least 25 named cases", () => {
    const corpus = files(join(ROOT, "test/hostile"), ".test.ts").filter((f) => /\/errors-[^/]*\.test\.ts$/.test(f));
    const cases = corpus
      .map((f) => readFileSync(f, "utf8"))
      .reduce(
        (n, text) => n + (text.match(/^\s+\{ name: "|^\s+name: "|^\s+\["[^"]+", \(d\)|^\s+\["[^"]+",$/gm)?.length ?? 0),
        0,
      );
    expect(cases).toBeGreaterThanOrEqual(25);
  });
});
