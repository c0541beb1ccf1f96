/**
 * One dialect seam: code is handed the `Dialect` object and calls its
 * methods; no file compares an engine's name except the dialects
 * themselves and the two places that choose an engine by the name the user
 * gave (docs/adding-an-engine.md).
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DIALECTS, ENGINE_NAMES } from "../../src/sql/dialect/dialects.js";
import { tsFiles } from "../support/ts-files.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Files that may name an engine, each with its reason. */
const MAY_NAME_ENGINES: Readonly<Record<string, string>> = {
  "src/store/open-store.ts": "opens the engine `--engine` names",
  "src/cli/store-options.ts": "parses --engine (PostgreSQL needs --database-url; a DuckDB store is a file)",
};

/** Files that may read `dialect.name`, each with its reason. */
const MAY_READ_DIALECT_NAME: Readonly<Record<string, string>> = {
  "src/run/run.ts": "records the engine of a run in tw_runs (data, never compared)",
};

/** Where a source text names an engine or reads a dialect's name: `file:line: text`. */
function engineNaming(file: string, text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    // Comments may name programs and engines (`duckdb` the CLI); code may not.
    if (/^\s*(\/\/|\/\*|\*)/.test(line)) return;
    const names = MAY_NAME_ENGINES[file] === undefined && /(["'`])(duckdb|postgres)\1/.test(line);
    const reads = MAY_READ_DIALECT_NAME[file] === undefined && /\bdialect\??\.name\b/.test(line);
    if (names || reads) found.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return found;
}

describe("one dialect seam", () => {
  it("no file outside src/sql/dialect names an engine or reads a dialect's name", () => {
    const files = [...tsFiles(join(ROOT, "src"))]
      .map((f) => relative(ROOT, f).split("\\").join("/"))
      .filter((f) => !f.startsWith("src/sql/dialect/"));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => engineNaming(f, readFileSync(join(ROOT, f), "utf8")))).toEqual([]);
  });

  it("every exception still exists and still needs its exception", () => {
    for (const file of [...Object.keys(MAY_NAME_ENGINES), ...Object.keys(MAY_READ_DIALECT_NAME)]) {
      const text = readFileSync(join(ROOT, file), "utf8");
      expect(/(["'`])(duckdb|postgres)\1|\bdialect\??\.name\b/.test(text), file).toBe(true);
    }
  });

  it("finds a name compared, a name passed and a dialect's name read", () => {
    const text = [
      'if (engine === "postgres") x();',
      "const d = expressionFor(engine.dialect.name);",
      "const k: 'duckdb' | 'other' = 'other';",
      "// DuckDB and PostgreSQL in a comment, postgresql://host in a URL",
      " * a comment naming the `duckdb` program",
      'const url = "postgresql://host/db";',
    ].join("\n");
    expect(engineNaming("src/x.ts", text)).toEqual([
      'src/x.ts:1: if (engine === "postgres") x();',
      "src/x.ts:2: const d = expressionFor(engine.dialect.name);",
      "src/x.ts:3: const k: 'duckdb' | 'other' = 'other';",
    ]);
  });

  it("src/sql (and plan, below it) import nothing from src/engine: the engines sit on top of the dialects", () => {
    const found = [...tsFiles(join(ROOT, "src/sql")), ...tsFiles(join(ROOT, "src/plan"))].flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/from\s*["']([^"']*\/engine\/[^"']*)["']/g)].map(
        (m) => `${relative(ROOT, f)}: ${m[1]}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it("the engine names come from the registry of dialects, each once, the default first", () => {
    expect(ENGINE_NAMES).toEqual(DIALECTS.map((d) => d.name));
    expect(new Set(ENGINE_NAMES).size).toBe(DIALECTS.length);
    expect(ENGINE_NAMES[0]).toBe("duckdb");
  });
});
