/**
 * Only src/sql writes SQL text. Every other folder asks a function under
 * src/sql for its statements: it may import the `SqlFragment` type and
 * `render`, never the builders that make SQL text (`sql```, `raw`, `ident`,
 * `integer`, `param`, `join`), and never builds a fragment by hand.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tsFiles } from "../support/ts-files.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");

/**
 * Files outside src/sql allowed to build SQL text, each with its reason.
 * Empty: when something truly must stay, add it here with a reason.
 */
const ALLOWED: Readonly<Record<string, string>> = {};

/** The builders of the fragment module that put text into SQL. */
const BUILDERS = new Set(["sql", "raw", "ident", "integer", "param", "join"]);

/** The fragment module as imported from anywhere in src (`../sql/index.js`, `../../sql/fragment.js`). */
const FRAGMENT_MODULE = /^(\.\.?\/)+sql\/(index|fragment)\.js$/;

/** Where a source text builds SQL: `file:line: what`. */
function sqlBuilding(file: string, text: string): string[] {
  const found: string[] = [];
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  // Imports may span lines: `import {\n  ident,\n  sql,\n} from "../sql/index.js";`
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    if (m[1] || !FRAGMENT_MODULE.test(m[3] ?? "")) continue;
    for (const spec of (m[2] ?? "").split(",")) {
      const name =
        spec
          .trim()
          .split(/\s+as\s+/)[0]
          ?.trim() ?? "";
      if (BUILDERS.has(name)) found.push(`${file}:${lineOf(m.index)}: imports ${name} from ${m[3]}`);
    }
  }
  for (const m of text.matchAll(/import\s+\*\s+as\s+\w+\s+from\s*["']([^"']+)["']/g)) {
    if (FRAGMENT_MODULE.test(m[1] ?? "")) found.push(`${file}:${lineOf(m.index)}: imports the fragment module whole`);
  }
  for (const m of text.matchAll(/\bsql`/g)) found.push(`${file}:${lineOf(m.index)}: sql\` tag`);
  for (const m of text.matchAll(/\bnew\s+SqlFragment\s*\(/g)) found.push(`${file}:${lineOf(m.index)}: new SqlFragment`);
  return found;
}

describe("SQL text is written only under src/sql", () => {
  it("no file outside src/sql imports a SQL text builder, uses the sql tag or builds a fragment", () => {
    const files = [...tsFiles(SRC)]
      .map((f) => relative(ROOT, f).split("\\").join("/"))
      .filter((f) => !f.startsWith("src/sql/") && ALLOWED[f] === undefined);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => sqlBuilding(f, readFileSync(join(ROOT, f), "utf8")));
    expect(found).toEqual([]);
  });

  it("every allowed file still exists and still needs its exception", () => {
    for (const [file, reason] of Object.entries(ALLOWED)) {
      expect(reason.length).toBeGreaterThan(0);
      expect(sqlBuilding(file, readFileSync(join(ROOT, file), "utf8"))).not.toEqual([]);
    }
  });

  it("finds each way of building SQL text, and leaves types, render and other modules alone", () => {
    const text = [
      'import { ident, render, type SqlFragment } from "../sql/index.js";',
      "import {",
      "  raw as text,",
      '} from "../../sql/fragment.js";',
      'import type { sql } from "../sql/fragment.js";',
      'import { join } from "node:path";',
      'import { sql as other } from "./sql/not-the-fragments.js";',
      'import * as f from "../sql/fragment.js";',
      "const q = sql`SELECT 1`;",
      "const r = new SqlFragment([]);",
      "const s = parseSql(`SELECT 1`);",
    ].join("\n");
    expect(sqlBuilding("x.ts", text)).toEqual([
      "x.ts:1: imports ident from ../sql/index.js",
      "x.ts:2: imports raw from ../../sql/fragment.js",
      "x.ts:8: imports the fragment module whole",
      "x.ts:9: sql` tag",
      "x.ts:10: new SqlFragment",
    ]);
  });
});
