/**
 * Golden SQL: the exact text and bound parameters each preset compiles to,
 * on each engine, for a fixed as-of. A change to the generated SQL shows up
 * here as a reviewable diff of test/run/golden/<preset>.<dialect>.sql.
 * Regenerate deliberately with `UPDATE_GOLDEN=1 npx vitest run test/run/golden.test.ts`.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadPolicy, presetNames } from "../../src/policy/load-policy.js";
import { compileRun } from "../../src/sql/compile/compile-run.js";
import { DIALECTS as ENGINE_DIALECTS, ENGINE_NAMES } from "../../src/sql/dialect/dialects.js";
import { render, type SqlFragment } from "../../src/sql/index.js";

const GOLDEN_DIR = fileURLToPath(new URL("./golden/", import.meta.url));
const AS_OF = "2026-01-01";
// Every registered dialect: a new engine has golden files too.
const DIALECTS = ENGINE_NAMES;
const UPDATE = process.env["UPDATE_GOLDEN"] === "1";

function section(title: string, fragment: SqlFragment): string {
  const { text, params } = render(fragment);
  const json = JSON.stringify(params, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
  return `-- ${title}\n${text};\n-- params: ${json}\n`;
}

/** The golden text of one preset on one engine: the facts queries, then each scheme's grading query. */
async function compiled(preset: string, dialect: (typeof DIALECTS)[number]): Promise<string> {
  const policy = await loadPolicy({ presets: [preset] });
  const engineDialect = ENGINE_DIALECTS.find((d) => d.name === dialect);
  if (!engineDialect) throw new Error(`no dialect ${dialect}`);
  const run = compileRun(policy.plan, { date: AS_OF, timeZone: policy.plan.timeZone }, engineDialect);
  const parts = [
    `-- Golden SQL of presets/${preset}.yaml on ${dialect}, as of ${AS_OF} (${policy.plan.timeZone}).\n` +
      "-- Regenerate: UPDATE_GOLDEN=1 npx vitest run test/run/golden.test.ts\n",
    ...run.facts.map((f) => section(`facts: ${f.entity} -> ${f.table}`, f.query)),
    ...run.schemes.map((s) => section(`grades: ${s.plan.name} (${s.plan.kind}) -> ${s.gradesTable}`, s.grades)),
  ];
  return parts.join("\n");
}

const cases = presetNames().flatMap((preset) => DIALECTS.map((dialect) => [preset, dialect] as const));

describe("golden SQL of every preset", () => {
  it.each(cases)("%s on %s", async (preset, dialect) => {
    const actual = await compiled(preset, dialect);
    const file = join(GOLDEN_DIR, `${preset}.${dialect}.sql`);
    if (UPDATE) {
      await mkdir(GOLDEN_DIR, { recursive: true });
      await writeFile(file, actual);
      return;
    }
    if (!existsSync(file)) {
      throw new Error(`no golden file ${file}: run UPDATE_GOLDEN=1 npx vitest run test/run/golden.test.ts`);
    }
    expect(actual).toBe(await readFile(file, "utf8"));
  });

  it("keeps no golden file of a preset or engine that no longer exists", async () => {
    const expected = cases.map(([preset, dialect]) => `${preset}.${dialect}.sql`).sort();
    const found = (await readdir(GOLDEN_DIR)).filter((f) => f.endsWith(".sql")).sort();
    expect(found).toEqual(expected);
  });

  it("binds values as parameters: no tier name, threshold or date appears in the SQL text", async () => {
    const text = await readFile(join(GOLDEN_DIR, "value-grades.duckdb.sql"), "utf8");
    const sqlOnly = text
      .split("\n")
      .filter((l) => !l.startsWith("--"))
      .join("\n");
    for (const literal of ["VIP", "100000", "2025-01-01", "2026-01-01"]) expect(sqlOnly).not.toContain(literal);
    expect(text).toContain('"2025-01-01 00:00:00"');
  });
});
