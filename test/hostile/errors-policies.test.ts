import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { engineRangeError } from "../../src/errors/index.js";
import { hostileRun, presetText, smallStore, tempDir, writeIn } from "./errors-corpus.js";

/**
 * Hostile policy files through the real CLI (issue 13, "Every failure is one
 * coded line"): `policy check` and `run` either accept the file or print
 * coded lines (exit 1 or 2) — never "unexpected error" or a stack trace.
 */

/** Deterministic bytes (a linear congruential generator): a "binary file" that is the same on every run. */
function bytes(n: number, seed = 13): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = x >>> 16;
  }
  return out;
}

/** A "billion laughs" YAML: nine levels of nine aliases each. */
function yamlBomb(): string {
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let previous = "a";
  for (const name of "bcdefghij") {
    text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]\n`;
    previous = name;
  }
  return `${text}version: 1\nschemes: *${previous}\n`;
}

const thresholds = (tiers: string) =>
  `version: 1\nschemes:\n  - name: s\n    kind: thresholds\n    metric: spend(12 months)\n    tiers:\n${tiers}`;

/** Each case: a name, and the file's content (or a path maker for folders and missing files). */
const CASES: readonly (readonly [string, (dir: string) => Promise<string>])[] = [
  ["an empty file", (d) => writeIn(d, "empty.yaml", "")],
  ["a binary file", (d) => writeIn(d, "binary.yaml", bytes(3000))],
  [
    "NUL bytes inside a valid policy",
    async (d) => writeIn(d, "nul.yaml", (await presetText("value-grades")).replace("schemes:", "schemes:\u0000\u0000")),
  ],
  [
    "a Latin-1 file (not UTF-8)",
    async (d) =>
      writeIn(
        d,
        "latin1.yaml",
        Buffer.from((await presetText("value-grades")).replace("name: VIP", "name: Privilégié"), "latin1"),
      ),
  ],
  [
    "a UTF-16 file with a byte order mark",
    async (d) =>
      writeIn(
        d,
        "utf16.yaml",
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(await presetText("value-grades"), "utf16le")]),
      ),
  ],
  [
    "a folder given as the policy",
    async (d) => {
      await mkdir(join(d, "folder.yaml"), { recursive: true });
      return join(d, "folder.yaml");
    },
  ],
  ["a missing file", async (d) => join(d, "missing.yaml")],
  [
    "a 50 MB file",
    async (d) => {
      const path = join(d, "fifty.yaml");
      await writeFile(path, `version: 1\nschemes:\n${`#${"x".repeat(1023)}\n`.repeat(50 * 1024)}`);
      return path;
    },
  ],
  ["a YAML bomb (aliases that expand without bound)", (d) => writeIn(d, "bomb.yaml", yamlBomb())],
  [
    "anchors and aliases reused in a valid policy",
    (d) => writeIn(d, "anchors.yaml", thresholds("      - &t { name: A, min: 10 }\n      - { name: B }\n      - *t\n")),
  ],
  ["duplicate keys", (d) => writeIn(d, "dup.yaml", "version: 1\nversion: 1\nschemes: []\n")],
  ["tabs as indentation", (d) => writeIn(d, "tabs.yaml", "version: 1\nschemes:\n\t- name: x\n")],
  [
    "YAML nested 10,000 levels deep",
    (d) => writeIn(d, "deep-yaml.yaml", `version: 1\nx: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`),
  ],
  [
    "an expression nested 5,000 parentheses deep",
    (d) =>
      writeIn(
        d,
        "deep-expr.yaml",
        thresholds(`      - { name: A, min: 1 }\n      - { name: B }\n`).replace(
          "spend(12 months)",
          `${"(".repeat(5000)}1${")".repeat(5000)}`,
        ),
      ),
  ],
  [
    "10,000 tiers",
    (d) =>
      writeIn(
        d,
        "tiers.yaml",
        thresholds(
          `${Array.from({ length: 10_000 }, (_, i) => `      - { name: T${i}, min: ${100_000 - i} }\n`).join("")}      - { name: Rest }\n`,
        ),
      ),
  ],
  [
    "tier names with bidi overrides, zero-width spaces, emoji and CJK",
    async (d) =>
      writeIn(
        d,
        "unicode.yaml",
        (await presetText("value-grades")).replace("name: VIP", 'name: "\u202eVIP\u200b 🏆 黄金"'),
      ),
  ],
  [
    "a tier name with an unpaired surrogate",
    async (d) =>
      writeIn(d, "surrogate.yaml", (await presetText("value-grades")).replace("name: VIP", 'name: "V\\uD800IP"')),
  ],
  ["a YAML list instead of a mapping", (d) => writeIn(d, "list.yaml", "- version: 1\n- schemes: []\n")],
  [
    "version 2",
    async (d) => writeIn(d, "v2.yaml", (await presetText("value-grades")).replace("version: 1", "version: 2")),
  ],
  [
    "a scheme kind that does not exist",
    async (d) =>
      writeIn(d, "kind.yaml", (await presetText("value-grades")).replace("kind: thresholds", "kind: thresholdz")),
  ],
  [
    "an expression that is SQL",
    async (d) =>
      writeIn(
        d,
        "sql.yaml",
        (await presetText("value-grades")).replace("metric: spend(12 months)", 'metric: "1; DROP TABLE orders; --"'),
      ),
  ],
];

describe("hostile policy files give coded lines, never 'unexpected error'", () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = await tempDir("tw-hostile-policies-");
    db = (await smallStore(dir)).db;
  });

  it.each(CASES)("%s: policy check and run", async (name, make) => {
    const file = await make(dir);
    const check = await hostileRun(["policy", "check", file], `policy check: ${name}`);
    const run = await hostileRun(["run", "--db", db, "--policy", file, "--as-of", "2026-01-01"], `run: ${name}`);
    // A file check refuses is refused by run too, and a file check accepts runs.
    expect(run.code === 0, `${name}\n${check.stderr}\n${run.stderr}`).toBe(check.code === 0);
  });

  it("arithmetic that overflows the engine's 64-bit integers is VALUE_OUT_OF_RANGE at run, not 'unexpected error'", async () => {
    const big = "1000000000000000";
    const text = (await presetText("value-grades")).replace(
      "metric: spend(12 months)",
      `metric: orders(12 months) * ${big} * ${big} * ${big}`,
    );
    const r = await hostileRun([
      "run",
      "--db",
      db,
      "--policy",
      await writeIn(dir, "overflow.yaml", text),
      "--as-of",
      "2026-01-01",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: VALUE_OUT_OF_RANGE: a value the policy computes is outside the range");
  });

  it("PostgreSQL's out-of-range errors (SQLSTATE 22003, 22008) are VALUE_OUT_OF_RANGE too", () => {
    for (const code of ["22003", "22008"]) {
      const error = Object.assign(new Error("bigint out of range"), { code });
      expect(engineRangeError(error)?.code).toBe("VALUE_OUT_OF_RANGE");
    }
    expect(engineRangeError(Object.assign(new Error("syntax"), { code: "42601" }))).toBeUndefined();
  });
});
