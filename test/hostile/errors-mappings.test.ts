import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hostileRun, smallStore, tempDir, writeIn } from "./errors-corpus.js";

/**
 * Hostile mapping files through `tierwise ingest --mapping` (issue 13):
 * each is refused with a coded, located line (exit 1) or loads — never
 * "unexpected error" or a stack trace.
 */
function yamlBomb(): string {
  let text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  let previous = "a";
  for (const name of "bcdefghij") {
    text += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]\n`;
    previous = name;
  }
  return `${text}version: 1\ntables: *${previous}\n`;
}

const orders = (body: string) => `version: 1\ntables:\n  orders:\n${body}`;

/** Each case: a name, the mapping text (or null: a folder given as the mapping), and the code it must give. */
const CASES: readonly { name: string; text: string | null; code: string }[] = [
  { name: "a YAML bomb", text: yamlBomb(), code: "MAPPING_INVALID" },
  {
    name: "a date format with a directive DuckDB cannot read",
    text: orders('    date_formats: { ordered_at: ["%Q%Q"] }\n'),
    code: "DATE_FORMAT_UNSUPPORTED",
  },
  {
    name: "a date format ending in a lone %",
    text: orders('    date_formats: { ordered_at: ["%Y-%m-%"] }\n'),
    code: "DATE_FORMAT_UNSUPPORTED",
  },
  { name: "an unknown table", text: "version: 1\ntables:\n  ordrs: {}\n", code: "MAPPING_INVALID" },
  {
    name: "a source column the file does not have",
    text: orders("    columns: { amount: Nope }\n"),
    code: "MAPPING_SOURCE_COLUMN_MISSING",
  },
  {
    name: "a computed column that does not parse",
    text: orders('    compute: { amount: "1 +* 2" }\n'),
    code: "MAPPING_INVALID",
  },
  {
    name: "a computed column nested 3,000 parentheses deep",
    text: orders(`    compute: { amount: "${"(".repeat(3000)}1${")".repeat(3000)}" }\n`),
    code: "MAPPING_INVALID",
  },
  {
    name: "a value mapped outside the column's values",
    text: orders("    values: { status: { a: nonsense } }\n"),
    code: "MAPPING_INVALID",
  },
  { name: "a delimiter of three characters", text: orders('    delimiter: "abc"\n'), code: "MAPPING_INVALID" },
  { name: "group_by a column the file does not have", text: orders("    group_by: Nope\n"), code: "MAPPING_INVALID" },
  { name: "a binary file", text: "\u0000\u0001\u0002\u00ff\u00fe garbage \u0000", code: "MAPPING_INVALID" },
  { name: "a folder given as the mapping", text: null, code: "MAPPING_INVALID" },
];

describe("hostile mappings give coded lines, never 'unexpected error'", () => {
  let dir: string;
  let data: string;
  beforeAll(async () => {
    dir = await tempDir("tw-hostile-mappings-");
    ({ data } = await smallStore(dir));
  });

  it.each(CASES)("$name: $code", async ({ name, text, code }) => {
    const mapping =
      text === null ? join(dir, "folder.yaml") : await writeIn(dir, `${name.replaceAll(/\W+/g, "-")}.yaml`, text);
    if (text === null) await mkdir(mapping, { recursive: true });
    const r = await hostileRun(["ingest", data, "--db", join(dir, "other.duckdb"), "--mapping", mapping], name);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`error: ${code}`);
  });
});
