/**
 * The map of src/ is true and stays true: every import of every file is one its folder's README allows
 * (the `May import:` line), the folder rules go one way, no file-level import cycle exists, and the
 * top-level README's folder table names every folder (src/README.md, "Layering").
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkArchitecture, checkMap, parseRule, readImports } from "./support/architecture.js";
import { tsFiles } from "./support/ts-files.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");

/**
 * Problems known and accepted for now, each with its reason; the test fails when one is no longer
 * reported, so that the entry is removed with its cause.
 */
const KNOWN: readonly { problem: string; why: string }[] = [];

/** Every .ts file of src/ and the READMEs of src/ and its folders, by path relative to src/. */
function sourceTree(): Map<string, string> {
  const tree = new Map<string, string>();
  const add = (path: string) => tree.set(relative(SRC, path).split("\\").join("/"), readFileSync(path, "utf8"));
  for (const path of tsFiles(SRC)) add(path);
  for (const folder of ["", ...readdirSync(SRC)]) {
    const readme = join(SRC, folder, "README.md");
    if (existsSync(readme)) add(readme);
  }
  return tree;
}

describe("the map of src/", () => {
  const tree = sourceTree();

  it("every import is allowed, the rules go one way, and no file imports itself round a cycle", () => {
    const found = checkArchitecture(tree).map((p) => p.message);
    const known = new Set(KNOWN.map((k) => k.problem));
    expect(found.filter((m) => !known.has(m))).toEqual([]);
    expect(KNOWN.filter((k) => !found.includes(k.problem)).map((k) => `no longer true, remove: ${k.problem}`)).toEqual(
      [],
    );
  });

  it("the top-level README's folder table names every folder of src/", () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.length).toBeGreaterThan(10);
    expect(checkMap(readFileSync(join(ROOT, "README.md"), "utf8"), folders)).toEqual([]);
  });

  it("test/README.md lists every test folder, and every folder of test/run/", () => {
    const TEST = join(ROOT, "test");
    const readme = readFileSync(join(TEST, "README.md"), "utf8");
    const dirs = (dir: string) => readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
    const missing = [...dirs(TEST), ...dirs(join(TEST, "run"))].filter((name) => !readme.includes(`\`${name}/\``));
    expect(missing).toEqual([]);
  });
});

describe("the checker", () => {
  /** A small made-up src/: `low` may import nothing, `high` may import `low`. */
  const base = (): Map<string, string> =>
    new Map([
      ["README.md", "# src\n\nMay import: everything.\n"],
      ["index.ts", 'export { a } from "./low/a.js";\nexport { h } from "./high/h.js";\n'],
      ["low/README.md", "# low\n\nMay import: nothing.\n"],
      ["low/a.ts", 'import { b } from "./b.js";\nexport const a = b;\n'],
      ["low/b.ts", "export const b = 1;\n"],
      ["high/README.md", "# high\n\n```\nMay import: `anything` in an example.\n```\n\nMay import: `low`.\n"],
      ["high/h.ts", 'import { a } from "../low/a.js";\nexport const h = a;\n'],
    ]);

  it("passes a tree that keeps its rules", () => {
    expect(checkArchitecture(base())).toEqual([]);
  });

  it("reports a forbidden import with the file, the import and the rule", () => {
    const tree = base();
    tree.set("low/b.ts", 'import { h } from "../high/h.js";\nexport const b = 1;\nexport const c = h;\n');
    const messages = checkArchitecture(tree).map((p) => p.message);
    expect(messages).toContain(
      'src/low/b.ts:1 imports "../high/h.js" (src/high/h.ts): `low` may not import `high` (May import line of src/low/README.md)',
    );
  });

  it("reports a file-level cycle, through type-only, re-export and dynamic imports alike", () => {
    for (const back of [
      'import type { A } from "./a.js";\nexport type B = A;\n',
      'export { a } from "./a.js";\n',
      'export const load = () => import("./a.js");\n',
    ]) {
      const tree = base();
      tree.set("low/b.ts", `${back}export const b = 1;\n`);
      const problems = checkArchitecture(tree);
      expect(problems).toEqual([
        { rule: "cycle", message: "import cycle: src/low/a.ts → src/low/b.ts → src/low/a.ts" },
      ]);
    }
  });

  it("reports a forbidden import and a cycle together", () => {
    const tree = base();
    tree.set("low/b.ts", 'import { h } from "../high/h.js";\nexport const b = 1;\nexport const c = h;\n');
    expect(checkArchitecture(tree).map((p) => p.rule)).toEqual(["import", "cycle"]);
  });

  it("allows a `(types only)` entry only through import type", () => {
    const tree = base();
    tree.set("mid/README.md", "May import: `low/b.ts` (types only).\n");
    tree.set("mid/m.ts", 'import type { b } from "../low/b.js";\nexport type M = typeof b;\n');
    expect(checkArchitecture(tree)).toEqual([]);
    tree.set("mid/m.ts", 'import { b } from "../low/b.js";\nexport const m = b;\n');
    expect(checkArchitecture(tree).map((p) => p.message)).toEqual([
      'src/mid/m.ts:1 imports "../low/b.js" (src/low/b.ts): `mid` may import `low/b.ts` only as types (`import type`) (May import line of src/mid/README.md)',
    ]);
  });

  it("reports rules that go round, a missing README and a malformed line", () => {
    const tree = base();
    tree.set("low/README.md", "May import: `high`.\n");
    tree.set("none/n.ts", "export const n = 1;\n");
    tree.set("bad/README.md", "May import: model and errors\n");
    tree.set("bad/x.ts", "export const x = 1;\n");
    const messages = checkArchitecture(tree).map((p) => p.message);
    expect(messages).toContain(
      "the May-import lines go round: `high` → `low` → `high` (src/high/README.md, src/low/README.md)",
    );
    expect(messages).toContain("src/none/ has no README.md");
    expect(messages).toContain('src/bad/README.md: "May import: model and errors" does not end with a full stop');
  });

  it("reports a dynamic import of a computed name, which it cannot check", () => {
    const tree = base();
    tree.set("low/b.ts", "export const b = 1;\nexport const load = (name: string) => import(name);\n");
    expect(checkArchitecture(tree).map((p) => p.message)).toEqual([
      "src/low/b.ts:2 imports import(name), a computed name the map cannot check: name the module",
    ]);
  });

  it("reads every kind of import, and which only carry types", () => {
    const text = [
      'import a from "./a.js";',
      'import type { B } from "./b.js";',
      'import { type C } from "./c.js";',
      'import "./d.js";',
      'export { e } from "./e.js";',
      'export type { F } from "./f.js";',
      'export * from "./g.js";',
      'const h = await import("./h.js");',
      'type I = import("./i.js").I;',
      'import { x } from "node:fs";',
    ].join("\n");
    expect(readImports("x.ts", text).map((r) => `${r.specifier}${r.typeOnly ? " type" : ""}`)).toEqual([
      "./a.js",
      "./b.js type",
      "./c.js",
      "./d.js",
      "./e.js",
      "./f.js type",
      "./g.js",
      "./h.js",
      "./i.js type",
      "node:fs",
    ]);
  });

  it("parses the May-import line's forms", () => {
    expect(parseRule("May import: nothing.")).toEqual({ kind: "list", entries: [] });
    expect(parseRule("May import: everything.")).toEqual({ kind: "everything" });
    expect(parseRule("May import: `model`, `engine/engine.ts` (types only).")).toEqual({
      kind: "list",
      entries: [
        { path: "model", typesOnly: false },
        { path: "engine/engine.ts", typesOnly: true },
      ],
    });
    expect(parseRule("no rule here")).toBeUndefined();
    expect(parseRule("May import: `a`.\n\nMay import: `b`.")).toMatch(/2 "May import:" lines/);
  });

  it("finds a folder the map leaves out, or one it names that does not exist", () => {
    const readme = "```\nsrc/low   the low level\nsrc/gone  gone\n```\n";
    expect(checkMap(readme, ["low", "high"]).map((p) => p.message)).toEqual([
      "README.md's folder table leaves out src/high",
      "README.md's folder table names src/gone, which does not exist",
    ]);
  });
});
