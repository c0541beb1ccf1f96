import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const RECORDER = new URL("../support/loaded-modules.mjs", import.meta.url).href;

/** The modules `tierwise ARGS` loads (resolved URLs), recorded by a resolve hook; with the run's exit code. */
async function loadedBy(args: readonly string[]): Promise<{ code: number | null; urls: string[] }> {
  const out = join(await mkdtemp(join(tmpdir(), "tw-startup-")), "loaded.txt");
  const run = await runCli(args, { NODE_OPTIONS: `--import=${RECORDER}`, TIERWISE_LOADED_MODULES: out });
  const text = await readFile(out, "utf8").catch(() => "");
  return { code: run.code, urls: [...new Set(text.split("\n").filter((u) => u !== ""))] };
}

/** What a light command line must not load: the engines' drivers, YAML and schema parsing, engines and runs. */
const HEAVY: readonly [string, RegExp][] = [
  ["@duckdb/node-api", /\/node_modules\/@duckdb\//],
  ["pg", /\/node_modules\/pg(-copy-streams)?\//],
  ["yaml", /\/node_modules\/yaml\//],
  ["zod", /\/node_modules\/zod\//],
  ["src/engine/", /\/src\/engine\//],
  ["src/run/", /\/src\/run\//],
  ["fastify", /\/node_modules\/(@fastify\/|fastify)/],
  ["src/serve/", /\/src\/serve\//],
];

const heavyIn = (urls: readonly string[]) =>
  HEAVY.filter(([, pattern]) => urls.some((u) => pattern.test(u))).map(([name]) => name);

describe("start-up loads a command's modules only when it runs", () => {
  // The recorder itself: a command that opens a store loads DuckDB and the store code, and the hook sees it.
  it("records the modules a store command loads", async () => {
    const db = join(await mkdtemp(join(tmpdir(), "tw-startup-")), "missing.duckdb");
    const { code, urls } = await loadedBy(["summary", "--db", db]);
    expect(code).toBe(1);
    expect(heavyIn(urls)).toContain("@duckdb/node-api");
    expect(urls.some((u) => u.endsWith("/src/cli/main.ts"))).toBe(true);
  });

  it.each([
    [["--version"]],
    [["--help"]],
    [["run", "--help"]],
    [["rnu"]], // did-you-mean needs every command's name, not its code
    [["policy", "presets"]],
  ])("tierwise %j loads no engine, driver, YAML or run module", async (args) => {
    const { code, urls } = await loadedBy(args);
    expect(code).toBe(args[0] === "rnu" ? 2 : 0);
    expect(urls.some((u) => u.endsWith("/src/cli/program.ts"))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
  });
});
