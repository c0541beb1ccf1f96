/**
 * No test has a wall-clock limit of its own. On the shared 2-core machine under load a healthy test
 * takes many times its quiet-machine time, so a per-test or per-hook timeout (`it(…, 60_000)`,
 * `beforeAll(…, 120_000)`) or a child-process `timeout:` turns slowness into a failure. Tests bound
 * their work by count; vitest.config.ts holds the one limit, a generous hang detector.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import config from "../vitest.config.js";
import { tsFiles } from "./support/ts-files.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The places in a test file's text that give a test, a hook or a child process a time limit. */
function limits(file: string, text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    // The closing line of it(…) / beforeAll(…) with a timeout argument: `}, 60_000);`
    if (/^\s*\}\s*,\s*\d[\d_]*\s*\)\s*;?\s*$/.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    // An options object with a timeout (execFile's, or it(…, { timeout })).
    if (/[{,]\s*timeout\s*:\s*\d/.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return found;
}

describe("wall-clock limits", () => {
  it("no test file sets a timeout of its own", () => {
    const files = [...tsFiles(join(ROOT, "test"))];
    const found = files.flatMap((f) => limits(relative(ROOT, f), readFileSync(f, "utf8")));
    expect(found).toEqual([]);
  });

  it("would catch the forms that were there", () => {
    const old = [
      "  }, 60_000);",
      "}, 180_000);",
      `  await run(tsx, ["examples/grade.ts", dir], { ${"timeout"}: 120_000 });`,
    ];
    expect(limits("x.ts", old.join("\n"))).toHaveLength(3);
    expect(limits("x.ts", "  });\n  const seed = 20_260_101;\n  setTimeout(() => child.kill(), delay);")).toEqual([]);
  });

  it("the configured limit is a hang detector of at least 15 minutes", () => {
    const test = config.test ?? {};
    expect(test.testTimeout).toBeGreaterThanOrEqual(15 * 60_000);
    expect(test.hookTimeout).toBeGreaterThanOrEqual(15 * 60_000);
  });
});
