/**
 * The dialect's value parsers give the same value on DuckDB and PostgreSQL:
 * mapping date formats (strptime), ISO timestamps, decimals, and the JSON
 * text of a rejected row's source record. Each table of inputs is parsed in
 * one statement per engine, in a UTC session and in Europe/Budapest.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import type { Engine } from "../../src/engine/engine.js";
import { PostgresEngine } from "../../src/engine/postgres-engine.js";
import { ident, type SqlFragment, sql } from "../../src/sql/index.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";
import { rawRows } from "../support/raw-rows.js";

let server: TestDatabase;
let engines: Array<[string, Engine]>;

beforeAll(async () => {
  server = await createTestDatabase("pg_parsers");
  engines = [
    ["duckdb", await DuckDbEngine.open({ path: ":memory:" })],
    ["postgres", await PostgresEngine.open({ url: server.url })],
  ];
});

afterAll(async () => {
  for (const [, engine] of engines ?? []) await engine.close();
  await server?.drop();
});

/** `parse(column t)` over `texts` on each engine in `zone`, as text. */
async function onBoth(
  texts: readonly string[],
  zone: string,
  parse: (engine: Engine, t: SqlFragment) => SqlFragment,
): Promise<Array<Array<string | null>>> {
  const results: Array<Array<string | null>> = [];
  for (const [, engine] of engines) {
    await engine.exec(engine.dialect.setTimeZone(zone));
    await engine.exec(engine.dialect.createTempTable("parse_input", sql`(i INTEGER, t VARCHAR)`));
    for (const [i, t] of texts.entries()) await engine.exec(sql`INSERT INTO parse_input VALUES (${i}, ${t})`);
    const rows = await engine.query(
      rawRows<{ v: string | null }>(
        sql`SELECT CAST(${parse(engine, ident("t"))} AS VARCHAR) AS v FROM parse_input ORDER BY i`,
      ),
    );
    results.push(rows.map((r) => r.v));
    await engine.exec(engine.dialect.setTimeZone("UTC"));
  }
  return results;
}

const ZONES = [
  ["UTC", true],
  ["Europe/Budapest", false],
] as const;

describe("date formats (strptime) on both engines", () => {
  const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
    ["31.12.2024", ["%d.%m.%Y"]],
    ["5.1.2024", ["%d.%m.%Y"]],
    ["005.1.2024", ["%d.%m.%Y"]],
    ["30.02.2024", ["%d.%m.%Y"]],
    ["31.04.2024", ["%d.%m.%Y", "%y.%m.%Y"]],
    ["12.30.2024", ["%d.%m.%Y", "%m.%d.%Y"]],
    ["31.12.2024 23:59", ["%d.%m.%Y %H:%M", "%d.%m.%Y"]],
    ["31.12.2024", ["%d.%m.%Y %H:%M", "%d.%m.%Y"]],
    ["2024-03-31 02:30", ["%Y-%m-%d %H:%M"]],
    ["01.02.2024 10:11:12.5", ["%d.%m.%Y %H:%M:%S.%f"]],
    ["10:11:12.123456", ["%H:%M:%S.%f"]],
    ["10:11:12.1234567", ["%H:%M:%S.%f"]],
    ["10:11:12.05", ["%H:%M:%S.%g"]],
    ["1.2.24", ["%d.%m.%y"]],
    ["1.2.70", ["%d.%m.%y"]],
    ["2024-01-05 +0130", ["%Y-%m-%d %z"]],
    ["2024-01-05 -01:30", ["%Y-%m-%d %z"]],
    ["2024-01-05 +01", ["%Y-%m-%d %z"]],
    ["2024-01-05 Z", ["%Y-%m-%d %z"]],
    ["2024-01-05", ["%Y-%m-%d %z", "%Y-%m-%d"]],
    ["Jan 5 2024 3PM", ["%b %d %Y %I%p"]],
    ["12 AM", ["%I %p"]],
    ["0 AM", ["%I %p"]],
    ["13/1/2024 11 PM", ["%d/%m/%Y %H %p"]],
    ["JANUARY 5 2024", ["%B %d %Y"]],
    ["5.Sept.2024", ["%d.%b.%Y"]],
    ["5.sep.2024", ["%d.%b.%Y"]],
    ["Monday 5.1.2024", ["%A %d.%m.%Y"]],
    ["2024 060", ["%Y %j"]],
    ["2023 366", ["%Y %j"]],
    [" 5/1/2024 ", ["%d/%m/%Y"]],
    ["5\t/1/2024", ["%d /%m/%Y"]],
    ["5/1/2024", ["%d /%m/%Y"]],
    ["5/1/2024x", ["%d/%m/%Y"]],
    ["20240105", ["%Y%m%d"]],
    ["2024015", ["%Y%m%d"]],
    ["2024", ["%Y%m"]],
    ["24:00", ["%H:%M"]],
    ["100%", ["%Y%%"]],
    ["5.1.2024", ["%-d.%-m.%Y"]],
    ["epoch", ["%d.%m.%Y"]],
    ["Infinity", ["%d.%m.%Y"]],
    ["epoch", ["%d.%m.%Y %z"]],
    ["", ["%d.%m.%Y"]],
    ["abc", ["%d.%m.%Y"]],
  ];

  it.each(ZONES)("parses each case alike in a %s session", async (zone, utc) => {
    for (const [text, formats] of cases) {
      const [duck, pg] = await onBoth([text], zone, (e, t) => e.dialect.tryTimestampFormatUtc(t, formats, utc));
      expect({ text, formats, value: pg?.[0] }).toEqual({ text, formats, value: duck?.[0] });
    }
  });
});

describe("ISO timestamps, decimals and JSON text on both engines", () => {
  const timestamps = [
    "2024-01-05",
    "2024-01-05 10:00",
    "2024-01-05T10:00:00",
    "2024-01-05 10:00:00.123",
    "2024-01-05 10:00:00.1234567",
    "2024-01-05T10:00:00Z",
    "2024-01-05 10:00:00+02",
    "2024-01-05 10:00:00+0200",
    "2024-01-05T10:00:00.5+05:30",
    "2024-01-05 10:00:00 UTC",
    "2024-01-05 10:00:00 Europe/Budapest",
    "2024-07-01 10:00:00",
    "2024-02-30",
    "2024-01-05 25:00",
    "2024-01-05 10:00:60",
    "24-01-05",
    "0000-01-01",
    "yesterday",
    "01/02/2024",
    "20240105",
    "2024-01-05 10:00 pm",
    "2024-01-05Z",
    "infinity",
    "epoch",
  ];

  it.each(ZONES)("reads ISO timestamps alike in a %s session", async (zone, utc) => {
    const [duck, pg] = await onBoth(timestamps, zone, (e, t) => e.dialect.tryTimestampUtc(t, utc));
    // Year 0 is 1 BC on DuckDB and a stand-in early year on PostgreSQL: both are before 1900.
    const early = (v: string | null) => (v !== null && (v.includes("BC") || v < "1900") ? "before 1900" : v);
    expect(pg?.map(early)).toEqual(duck?.map(early));
  });

  it("reads decimals alike, without PostgreSQL's NaN and 0x… forms", async () => {
    const texts = [
      "1",
      "-1.5",
      "+.5",
      "1e3",
      "7e-6",
      "12.34565",
      "0.00005",
      "NaN",
      "Infinity",
      "0x10",
      "0b101",
      "1_000",
    ];
    const [duck, pg] = await onBoth(texts, "UTC", (e, t) => e.dialect.tryDecimal(t));
    expect(pg).toEqual(duck);
    expect(duck?.slice(7, 11)).toEqual([null, null, null, null]);
  });

  it("writes a source record's JSON text identically, hostile text included", async () => {
    const texts = [
      '"quoted" \\ back',
      "tab\tnew\nline\rcr",
      "\u0001\u001f\u007f",
      "ünï 黄金 🚀",
      "</script>",
      "'; DROP --",
    ];
    const [duck, pg] = await onBoth(texts, "UTC", (e, t) =>
      e.dialect.jsonObjectText([
        ['key "with" quotes', t],
        ["empty", sql`CAST(NULL AS VARCHAR)`],
      ]),
    );
    expect(pg).toEqual(duck);
    expect(duck?.[0]).toBe('{"key \\"with\\" quotes":"\\"quoted\\" \\\\ back","empty":null}');
  });
});
