/**
 * The project is self-contained: no source, test, bench or script file names a path outside the
 * repository. A fresh clone with nothing beside it (CI's, a new engineer's) must run the whole suite;
 * public data the tests need lives in test/fixtures/ (e.g. test/fixtures/cdnow, with its origin).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FOLDERS = ["src", "test", "bench", "scripts"];
const FILES = ["package.json", "vitest.config.ts", ".ci/run"];
const CODE = /\.(ts|mts|cts|js|mjs|cjs|json|ya?ml|sh)$/;

// Built from pieces so this file does not match its own patterns.
const SIBLING = [".", ".", "/", "shared"].join("");
const ABSOLUTE = ["/", "work", "/"].join("");

/** Each place in `text` (the content of `file`, a path relative to `root`) that names a path outside `root`. */
function escapes(root: string, file: string, text: string): string[] {
  const found: string[] = [];
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  for (const needle of [SIBLING, ABSOLUTE]) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      found.push(`${file}:${lineOf(at)}: ${JSON.stringify(needle)}`);
    }
  }
  // A relative path in a string literal (as in imports and new URL(…, import.meta.url))
  // resolved from the file's own folder must stay inside the repository.
  for (const m of text.matchAll(/["'`]((?:\.\.\/)+)/g)) {
    const target = resolve(dirname(join(root, file)), m[1] ?? "");
    if (relative(root, target).startsWith(".."))
      found.push(`${file}:${lineOf(m.index)}: ${m[0]} climbs above the repository`);
  }
  return found;
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === ".git") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (CODE.test(name)) yield path;
  }
}

describe("the repository is self-contained", () => {
  it("no file in src/, test/, bench/, scripts/ or the config names a path outside the repository", () => {
    const files = [...FOLDERS.flatMap((f) => [...walk(join(ROOT, f))]), ...FILES.map((f) => join(ROOT, f))];
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => escapes(ROOT, relative(ROOT, f), readFileSync(f, "utf8")));
    expect(found).toEqual([]);
  });

  it("would catch the old sibling-folder reads (the CDNOW data once read from beside the clone)", () => {
    const root = "/repo";
    const up = (n: number) => "../".repeat(n);
    expect(
      escapes(root, "test/clv/cdnow.ts", `const DIR = new URL("${up(3)}shared/data/cdnow/", import.meta.url);`),
    ).toHaveLength(2);
    // Climbing out without naming the folder is caught too.
    expect(escapes(root, "test/run/clv/x.ts", `readFile(new URL("${up(4)}data/x.txt", import.meta.url))`)).toEqual([
      `test/run/clv/x.ts:1: "${up(4)} climbs above the repository`,
    ]);
    expect(escapes(root, "test/x.ts", `const p = "${ABSOLUTE}shared/data/cdnow";`)).toHaveLength(1);
    // Paths that stay inside are fine: an import to src/, the repository root itself, the fixtures.
    expect(escapes(root, "test/run/clv/x.ts", `import { a } from "${up(3)}src/a.js";`)).toEqual([]);
    expect(escapes(root, "test/support/cli.ts", `new URL("${up(2)}", import.meta.url)`)).toEqual([]);
    expect(escapes(root, "test/clv/cdnow.ts", `new URL("${up(1)}fixtures/cdnow/", import.meta.url)`)).toEqual([]);
  });
});
