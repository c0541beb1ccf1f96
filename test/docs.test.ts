import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dataModelDoc } from "../scripts/data-model-doc.js";
import { metricsDoc } from "../scripts/metrics-doc.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Folders that are not the project's own text (installed, built, version control). */
const SKIPPED = new Set(["node_modules", ".git", "dist", "coverage", ".bench"]);
/** The name of the domain spec that is not part of the repository (split so this file does not name it). */
const SPEC_NAME = ["SCHEMES", "md"].join(".");

/** Every file of the repository, as paths relative to its root. */
function repositoryFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED.has(name)) return [];
    const path = join(dir, name);
    // A file another test removes while this one walks is simply gone.
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? repositoryFiles(path) : [relative(ROOT, path)];
  });
}

/** README.md and every page under docs/. */
function markdownPages(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((n) => n.endsWith(".md"))
    .map((n) => join("docs", n));
  return ["README.md", ...docs];
}

/** Relative link targets of a Markdown page (`[text](target)`), without anchors; web and mail links left out. */
function relativeLinks(text: string): string[] {
  const targets = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? "");
  return targets
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith("#"))
    .map((t) => decodeURIComponent(t.split("#")[0] ?? ""));
}

describe("docs", () => {
  it("docs/data-model.md matches the model (run `npm run docs`)", () => {
    expect(readFileSync(new URL("../docs/data-model.md", import.meta.url), "utf8")).toBe(dataModelDoc());
  });

  it("docs/metrics.md matches the metric catalogue (run `npm run docs`)", () => {
    expect(readFileSync(new URL("../docs/metrics.md", import.meta.url), "utf8")).toBe(metricsDoc());
  });

  it("stand on their own: no file refers to the spec outside the repository (the schemes are docs/schemes.md)", () => {
    const files = repositoryFiles();
    expect(files).toContain(join("docs", "schemes.md"));
    const referring = files.filter((f) => {
      if (!existsSync(join(ROOT, f))) return false;
      const bytes = readFileSync(join(ROOT, f));
      return !bytes.includes(0) && bytes.toString("utf8").includes(SPEC_NAME);
    });
    expect(referring).toEqual([]);
  });

  it("link only to files that exist (README.md and docs/*.md)", () => {
    const missing = markdownPages().flatMap((page) => {
      const text = readFileSync(join(ROOT, page), "utf8");
      return relativeLinks(text)
        .filter((target) => !existsSync(join(ROOT, dirname(page), target)))
        .map((target) => `${page} → ${target}`);
    });
    expect(missing).toEqual([]);
  });

  it("README.md links the scheme and expression references", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(relativeLinks(readme)).toEqual(expect.arrayContaining(["docs/schemes.md", "docs/expressions.md"]));
  });
});
