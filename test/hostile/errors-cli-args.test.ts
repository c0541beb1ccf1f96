import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STORE_SCHEMA_VERSION, writeSchemaVersionSql } from "../../src/sql/store/schema.js";
import { openStore } from "../../src/store/index.js";
import { hostileRun, smallStore, tempDir, writeIn } from "./errors-corpus.js";

/**
 * Hostile command lines through the real CLI (issue 13): unknown flags,
 * typos, missing values, numbers and dates out of range, paths that are
 * folders, missing or not stores, ids with invisible characters. Each gives
 * one coded line with the exit code it names — 2 for wrong usage, 1 for a
 * failure — never "unexpected error" or a stack trace.
 */
interface ArgCase {
  readonly name: string;
  /** The arguments; `$DB` is the test store, `$DIR` a temp folder, `$DATA` its generated data. */
  readonly args: readonly string[];
  readonly exit: 0 | 1 | 2;
  /** Text the error line holds. */
  readonly says: string;
}

const CASES: readonly ArgCase[] = [
  { name: "an unknown flag", args: ["run", "--db", "$DB", "--bogus"], exit: 2, says: "unknown option '--bogus'" },
  { name: "a typo in the command", args: ["runn"], exit: 2, says: "unknown command 'runn'" },
  { name: "a flag without its value", args: ["run", "--db", "$DB", "--as-of"], exit: 2, says: "argument missing" },
  {
    name: "--as-of garbage",
    args: ["run", "--db", "$DB", "--preset", "value-grades", "--as-of", "garbage"],
    exit: 2,
    says: '--as-of must be a date like 2026-01-31, got "garbage"',
  },
  {
    name: "--as-of 30 February",
    args: ["run", "--db", "$DB", "--preset", "value-grades", "--as-of", "2026-02-30"],
    exit: 2,
    says: "--as-of must be a date",
  },
  {
    name: "--as-of 99999-01-01",
    args: ["run", "--db", "$DB", "--preset", "value-grades", "--as-of", "99999-01-01"],
    exit: 2,
    says: "--as-of must be a date",
  },
  {
    name: "--as-of 9999-12-31 with --allow-future",
    args: ["run", "--db", "$DB", "--preset", "value-grades", "--as-of", "9999-12-31", "--allow-future"],
    exit: 2,
    says: "--as-of must be a date from 1900-01-01 to 2199-12-31",
  },
  {
    name: "--top 1e99",
    args: ["recommend", "--db", "$DB", "--out", "$DIR/r.csv", "--top", "1e99"],
    exit: 2,
    says: '--top must be a positive whole number (at most 2147483647), got "1e99"',
  },
  {
    name: "--limit -3",
    args: ["churn", "--db", "$DB", "--limit", "-3"],
    exit: 2,
    says: "--limit must be a positive whole number",
  },
  {
    name: "--run 99999999999999999999",
    args: ["explain", "C0000001", "--db", "$DB", "--run", "99999999999999999999"],
    exit: 2,
    says: "--run must be a positive whole number",
  },
  {
    name: "--customers 0x10",
    args: ["generate", "--out", "$DIR/g", "--customers", "0x10"],
    exit: 2,
    says: "--customers must be a positive whole number",
  },
  {
    name: "--days 99999999 (more than 100 years)",
    args: ["churn", "investigate", "--db", "$DB", "--days", "99999999"],
    exit: 2,
    says: "(at most 36525)",
  },
  {
    name: "--memory-limit banana",
    args: ["summary", "--db", "$DB", "--memory-limit", "banana"],
    exit: 2,
    says: "--memory-limit takes a size such as 500MB or 4GB",
  },
  {
    name: "--scale 1e9",
    args: ["run", "--db", "$DB", "--preset", "value-grades", "--scale", "1e9"],
    exit: 2,
    says: "--scale must be from 0.000001 to 1000000",
  },
  {
    name: "--horizon 9999 years",
    args: ["clv", "predict", "--db", "$DB", "--out", "$DIR/p.csv", "--horizon", "9999", "years"],
    exit: 2,
    says: "(at most 100 years)",
  },
  {
    name: "--engine mysql",
    args: ["summary", "--engine", "mysql"],
    exit: 2,
    says: "Allowed choices are duckdb, postgres",
  },
  {
    name: "--engine postgres without a URL",
    args: ["summary", "--engine", "postgres"],
    exit: 2,
    says: "--engine postgres needs --database-url",
  },
  { name: "--db a folder", args: ["summary", "--db", "$DIR"], exit: 1, says: "STORE_" },
  { name: "--db a missing file", args: ["summary", "--db", "$DIR/missing.duckdb"], exit: 1, says: "NO_STORE" },
  {
    name: "--db a file that is not a store",
    args: ["summary", "--db", "$DIR/not-a-store.duckdb"],
    exit: 1,
    says: "STORE_",
  },
  { name: "--policy a folder", args: ["run", "--db", "$DB", "--policy", "$DIR"], exit: 1, says: "POLICY_UNREADABLE" },
  {
    name: "--preset that does not exist",
    args: ["run", "--db", "$DB", "--preset", "value-gradez"],
    exit: 1,
    says: "POLICY_UNKNOWN_PRESET",
  },
  {
    name: "--out in a missing folder",
    args: ["export", "--db", "$DB", "--out", "$DIR/missing/x.csv"],
    exit: 1,
    says: "FILE_UNUSABLE: cannot use $DIR/missing/",
  },
  {
    name: "--out a folder",
    args: ["report", "--db", "$DB", "--out", "$DIR"],
    exit: 1,
    says: "FILE_UNUSABLE: cannot use $DIR: it is a folder, not a file",
  },
  {
    name: "--out with an unknown extension",
    args: ["export", "--db", "$DB", "--out", "$DIR/x.xlsx"],
    exit: 1,
    says: "EXPORT_FORMAT",
  },
  {
    // Node's recursive mkdir never returns under /proc (it answers ENOENT for any child).
    name: "generate into a folder that cannot exist (/proc)",
    args: ["generate", "--out", "/proc/tierwise-cannot-be-here/data", "--customers", "10"],
    exit: 1,
    says: "FILE_UNUSABLE: cannot use /proc/tierwise-cannot-be-here",
  },
  {
    name: "--rejects in a missing folder",
    args: ["ingest", "$DATA", "--db", "$DIR/other.duckdb", "--rejects", "$DIR/missing/r.csv"],
    exit: 1,
    says: "REJECTS_UNWRITABLE: cannot write the rejects file $DIR/missing/r.csv",
  },
  {
    name: "ingest a file instead of a folder",
    args: ["ingest", "$DATA/customers.csv", "--db", "$DIR/other.duckdb"],
    exit: 1,
    says: "NOT_A_DIRECTORY",
  },
  {
    name: "ingest a missing folder",
    args: ["ingest", "$DIR/nothing-here", "--db", "$DIR/other.duckdb"],
    exit: 1,
    says: "NOT_A_DIRECTORY",
  },
  {
    name: "--mapping a folder",
    args: ["ingest", "$DATA", "--db", "$DIR/other.duckdb", "--mapping", "$DIR"],
    exit: 1,
    says: "MAPPING_INVALID",
  },
  {
    // Invisible characters at either end are trimmed, as ingest trims them (docs/ingest.md).
    name: "an id followed by a zero-width space",
    args: ["explain", "C0000001\u200b", "--db", "$DB"],
    exit: 0,
    says: "C0000001",
  },
  { name: "an empty id", args: ["explain", "", "--db", "$DB"], exit: 2, says: "is empty" },
  {
    name: "an id with a control character",
    args: ["history", "C\u0001", "--db", "$DB"],
    exit: 2,
    says: "U+0001",
  },
  {
    name: "an override that does not exist",
    args: ["override", "remove", "999999", "--db", "$DB"],
    exit: 1,
    says: "OVERRIDE_NOT_FOUND",
  },
  {
    name: "a holdout that ends before the calibration",
    args: ["clv", "validate", "--db", "$DB", "--calibration-end", "2025-06-30", "--holdout-end", "2025-01-01"],
    exit: 1,
    says: "CLV_BAD_PERIOD",
  },
  {
    name: "runs delete with a word",
    args: ["runs", "delete", "abc", "--db", "$DB"],
    exit: 2,
    says: "runs delete takes run ids",
  },
];

describe("hostile command lines give one coded line and the right exit code", () => {
  let dir: string;
  let db: string;
  let data: string;
  beforeAll(async () => {
    dir = await tempDir("tw-hostile-args-");
    ({ db, data } = await smallStore(dir));
    await writeIn(dir, "not-a-store.duckdb", "this is not a DuckDB file\n".repeat(200));
    await mkdir(join(dir, "g"), { recursive: true });
    const run = await hostileRun(["run", "--db", db, "--preset", "value-grades", "--as-of", "2026-01-01"]);
    expect(run.code, run.stderr).toBe(0);
  });
  const fill = (s: string) => s.replace("$DB", db).replace("$DIR", dir).replace("$DATA", data);

  it.each(CASES)("$name", async (c) => {
    const r = await hostileRun(c.args.map(fill), c.name);
    expect(r.code, r.stderr).toBe(c.exit);
    expect(c.exit === 0 ? r.stdout : r.stderr).toContain(fill(c.says));
  });

  it("a store written by a newer Tierwise: STORE_SCHEMA_NEWER, not a crash", async () => {
    const other = join(dir, "newer");
    await mkdir(other);
    const store = join(other, "s.duckdb");
    await copyFile(db, store);
    const engine = await openStore(store);
    try {
      for (const statement of writeSchemaVersionSql(STORE_SCHEMA_VERSION + 1)) await engine.exec(statement);
    } finally {
      await engine.close();
    }
    const r = await hostileRun(["summary", "--db", store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("STORE_SCHEMA_NEWER");
  });

  it("a store with no runs yet: export says NO_RUNS", async () => {
    const other = join(dir, "no-runs");
    await mkdir(other);
    const store = join(other, "s.duckdb");
    expect((await hostileRun(["ingest", data, "--db", store])).code).toBe(0);
    const r = await hostileRun(["export", "--db", store, "--out", join(other, "x.csv")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("NO_RUNS");
  });
});
