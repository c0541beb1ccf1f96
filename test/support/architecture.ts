/**
 * The folder map of src/ as a check (test/architecture.test.ts): every import of every source file
 * against the folder rules the READMEs state, the rules themselves going one way, and no file-level
 * import cycle. Pure over a set of texts, so the test also runs it on a small made-up tree and watches
 * it fail.
 *
 * The rules (src/README.md, "Layering"):
 * - Every folder directly under src/ is one folder of the map; its sub-folders belong to it. It and
 *   src/ itself (for its loose files, e.g. index.ts) have a README.md with one line `May import: …`.
 * - The line is `May import: nothing.`, `May import: everything.` or a comma-separated list of entries
 *   in backticks, ending with a full stop: `May import: \`model\`, \`engine/engine.ts\` (types only).`
 *   An entry is a path under src/ (a folder or one file) and covers what lies under it; `(types only)`
 *   allows it only through `import type` / `export type`.
 * - A file may import anything of its own folder and what its folder's line allows; nothing else.
 * - The lines go one way (no folder reaches itself through them), and no file-level import cycle
 *   exists, whatever the kind of import (static, re-export, dynamic, type-only).
 * - The top-level README's folder table names every folder of src/, and only those (`checkMap`).
 */
import { posix } from "node:path";
import ts from "typescript";

/** One module specifier a file names, with whether only types cross it. */
export interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  line: number;
  /** A dynamic import of a computed name: `specifier` is its source text. */
  computed?: true;
}

/**
 * Every module a TypeScript file names: `import … from`, `import "…"`, `export … from`, dynamic
 * `import("…")` and `import("…")` types. `import type` and `export type` are type-only; so is an
 * `import("…")` type. `import { type A }` is not (under verbatimModuleSyntax it still loads the module).
 */
export function readImports(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportRef[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    // A computed specifier (`import(name)`) cannot be checked: it is reported as the text it is.
    if (literal === undefined || !ts.isStringLiteralLike(literal))
      found.push({ specifier: literal?.getText(source) ?? "", typeOnly, line, computed: true });
    else found.push({ specifier: literal.text, typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node)) {
      // `export { a, b }` of local names has no module.
      if (node.moduleSpecifier !== undefined) add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** One entry of a `May import:` line. */
export interface Allowed {
  path: string;
  typesOnly: boolean;
}

/** A folder's rule: `everything`, or the entries it may import. */
export type Rule = { kind: "everything" } | { kind: "list"; entries: Allowed[] };

const MAY_IMPORT = /^May import: (.*)$/gm;
const ENTRY = /^`([a-z0-9][a-z0-9./-]*)`( \(types only\))?$/;

/** The rule of a README's `May import:` line, undefined without one, or a string saying what is wrong with it. */
export function parseRule(readme: string): Rule | string | undefined {
  // Lines of fenced code blocks are examples, not the rule.
  const prose = readme.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  const lines = [...prose.matchAll(MAY_IMPORT)].map((m) => m[1] ?? "");
  if (lines.length > 1) return `has ${lines.length} "May import:" lines; one says it all`;
  const line = lines[0];
  if (line === undefined) return undefined;
  if (line === "nothing.") return { kind: "list", entries: [] };
  if (line === "everything.") return { kind: "everything" };
  if (!line.endsWith(".")) return `"May import: ${line}" does not end with a full stop`;
  const entries: Allowed[] = [];
  for (const part of line.slice(0, -1).split(", ")) {
    const m = ENTRY.exec(part);
    if (m?.[1] === undefined)
      return `"${part}" in "May import: ${line}" is not \`folder\`, \`folder/file.ts\` or either with " (types only)"`;
    entries.push({ path: m[1].replace(/\/$/, ""), typesOnly: m[2] !== undefined });
  }
  return { kind: "list", entries };
}

/** The source tree to check: file texts and README texts, by path relative to src/ ("run/run.ts", "run/README.md"). */
export type Tree = ReadonlyMap<string, string>;

export interface Problem {
  rule: "readme" | "import" | "cycle" | "unresolved";
  message: string;
}

const under = (path: string, folder: string) => folder === "" || path === folder || path.startsWith(`${folder}/`);

/** Resolves a relative specifier of `from` to a source path of the tree, as NodeNext does with .js → .ts. */
function resolveSpecifier(tree: Tree, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = [joined.replace(/\.js$/, ".ts"), joined, `${joined}.ts`, `${joined}/index.ts`];
  return candidates.find((c) => tree.has(c) && c.endsWith(".ts"));
}

/** Checks the tree; every problem names the file, the import and the rule it breaks. */
export function checkArchitecture(tree: Tree): Problem[] {
  const problems: Problem[] = [];
  const files = [...tree.keys()].filter((p) => p.endsWith(".ts")).sort();
  const folders = new Set<string>([""]);
  for (const file of files) {
    const parts = file.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }

  // The folders of the map and their rules.
  const rules = new Map<string, Rule>();
  for (const folder of [...folders].filter((f) => !f.includes("/")).sort()) {
    const readmePath = folder === "" ? "README.md" : `${folder}/README.md`;
    const shown = `src/${readmePath}`;
    const readme = tree.get(readmePath);
    if (readme === undefined) {
      problems.push({ rule: "readme", message: `src/${folder}${folder ? "/" : ""} has no README.md` });
      continue;
    }
    const rule = parseRule(readme);
    if (rule === undefined) {
      problems.push({ rule: "readme", message: `${shown} has no "May import: …" line` });
      continue;
    }
    if (typeof rule === "string") {
      problems.push({ rule: "readme", message: `${shown}: ${rule}` });
      continue;
    }
    rules.set(folder, rule);
    if (rule.kind === "list")
      for (const entry of rule.entries)
        if (!folders.has(entry.path) && !tree.has(entry.path))
          problems.push({ rule: "readme", message: `${shown} allows \`${entry.path}\`, which is not in src/` });
  }
  /** The folder of the map a path belongs to: its first folder under src/ ("" for src/'s own files). */
  const folderOf = (path: string): string => (path.includes("/") ? (path.split("/")[0] ?? "") : "");
  const readmeOf = (folder: string) => (folder === "" ? "src/README.md" : `src/${folder}/README.md`);
  const nameOf = (folder: string) => (folder === "" ? "src" : folder);

  // The rules themselves go one way: a folder may import one that may import it back only through a cycle.
  const ruleGraph = new Map<string, { to: string }[]>();
  for (const [folder, rule] of rules) {
    const targets =
      rule.kind === "everything"
        ? [...rules.keys()]
        : rule.entries.map((e) => folderOf(e.path.includes("/") ? e.path : `${e.path}/`));
    ruleGraph.set(
      folder,
      [...new Set(targets)].filter((t) => t !== folder && t !== "").map((to) => ({ to })),
    );
  }
  for (const cycle of fileCycles(ruleGraph))
    problems.push({
      rule: "cycle",
      message: `the May-import lines go round: ${cycle.map((f) => `\`${nameOf(f)}\``).join(" → ")} (${[
        ...new Set(cycle),
      ]
        .map(readmeOf)
        .join(", ")})`,
    });

  // Every import against its folder's rule; the file graph for the cycles.
  const graph = new Map<string, { to: string; line: number }[]>();
  for (const file of files) {
    const edges: { to: string; line: number }[] = [];
    graph.set(file, edges);
    const from = folderOf(file);
    const rule = rules.get(from);
    for (const ref of readImports(file, tree.get(file) ?? "")) {
      if (ref.computed) {
        problems.push({
          rule: "unresolved",
          message: `src/${file}:${ref.line} imports import(${ref.specifier}), a computed name the map cannot check: name the module`,
        });
        continue;
      }
      if (!ref.specifier.startsWith(".")) continue;
      const target = resolveSpecifier(tree, file, ref.specifier);
      const where = `src/${file}:${ref.line}`;
      if (target === undefined) {
        problems.push({ rule: "unresolved", message: `${where} imports "${ref.specifier}", which is no file of src/` });
        continue;
      }
      edges.push({ to: target, line: ref.line });
      const to = folderOf(target);
      if (to === from || rule === undefined || rule.kind === "everything") continue;
      const entry = rule.entries.find((e) => under(target, e.path) && (ref.typeOnly || !e.typesOnly));
      if (entry !== undefined) continue;
      const typesOnly = rule.entries.find((e) => under(target, e.path));
      const why =
        typesOnly !== undefined
          ? `\`${nameOf(from)}\` may import \`${typesOnly.path}\` only as types (\`import type\`)`
          : `\`${nameOf(from)}\` may not import \`${nameOf(to)}\``;
      problems.push({
        rule: "import",
        message: `${where} imports "${ref.specifier}" (src/${target}): ${why} (May import line of ${readmeOf(from)})`,
      });
    }
  }

  for (const cycle of fileCycles(graph))
    problems.push({ rule: "cycle", message: `import cycle: ${cycle.map((f) => `src/${f}`).join(" → ")}` });
  return problems;
}

/**
 * One cycle per strongly connected component of more than one file (or a file importing itself),
 * written as a path back to its first file: enough to find and break it; the next run shows the next.
 */
export function fileCycles(graph: ReadonlyMap<string, readonly { to: string }[]>): string[][] {
  // Tarjan's algorithm, iterative over the sorted files so the output is stable.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (start: string) => {
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top === undefined) break;
      const edges = graph.get(top.node) ?? [];
      const edge = edges[top.next++];
      if (edge !== undefined) {
        if (!index.has(edge.to)) {
          index.set(edge.to, counter);
          low.set(edge.to, counter++);
          stack.push(edge.to);
          onStack.add(edge.to);
          work.push({ node: edge.to, next: 0 });
        } else if (onStack.has(edge.to)) {
          low.set(top.node, Math.min(low.get(top.node) ?? 0, index.get(edge.to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(top.node) ?? 0));
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
          onStack.delete(member);
          component.push(member);
          if (member === top.node) break;
        }
        const selfLoop = (graph.get(top.node) ?? []).some((e) => e.to === top.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) strongConnect(node);
  return components.map((component) => cyclePath(graph, new Set(component)));
}

/** A shortest path from the component's first file (sorted) back to itself, inside the component. */
function cyclePath(graph: ReadonlyMap<string, readonly { to: string }[]>, members: ReadonlySet<string>): string[] {
  const start = [...members].sort()[0] ?? "";
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] ?? "";
    for (const { to } of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at))
          path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * The one map: the folder table of the top-level README (lines `src/name  what it owns` in a code
 * block) names each folder of src/ exactly once, and no folder that is not there.
 */
export function checkMap(readme: string, folders: readonly string[]): Problem[] {
  const listed = [...readme.matchAll(/^src\/([a-z0-9-]+)\s+\S/gm)].map((m) => m[1] ?? "");
  const problems: Problem[] = [];
  for (const folder of folders)
    if (!listed.includes(folder))
      problems.push({ rule: "readme", message: `README.md's folder table leaves out src/${folder}` });
  for (const [i, name] of listed.entries()) {
    if (!folders.includes(name))
      problems.push({ rule: "readme", message: `README.md's folder table names src/${name}, which does not exist` });
    else if (listed.indexOf(name) !== i)
      problems.push({ rule: "readme", message: `README.md's folder table names src/${name} twice` });
  }
  return problems;
}
