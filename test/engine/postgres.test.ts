import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import type { Engine } from "../../src/engine/engine.js";
import { PostgresEngine } from "../../src/engine/postgres-engine.js";
import { InternalError } from "../../src/errors/tierwise-error.js";
import type { AggregateFn, Window } from "../../src/plan/expression.js";
import { modelScope, parseAndCheck } from "../../src/policy/expression/check.js";
import type { Dialect } from "../../src/sql/dialect/dialect.js";
import { postgresDialect } from "../../src/sql/dialect/postgres.js";
import { compileExpression } from "../../src/sql/expression.js";
import { ident, raw, records, type SqlFragment, sql, TextStruct } from "../../src/sql/index.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.js";
import { rawRows } from "../support/raw-rows.js";

let server: TestDatabase;
let postgres: PostgresEngine;
let duckdb: DuckDbEngine;

beforeAll(async () => {
  server = await createTestDatabase("pg_engine");
  postgres = await PostgresEngine.open({ url: server.url });
  duckdb = await DuckDbEngine.open({ path: ":memory:" });
});

afterAll(async () => {
  await postgres?.close();
  await duckdb?.close();
  await server?.drop();
});

const HOSTILE = [
  "'; DROP TABLE notes; --",
  'x" OR 1=1 --',
  "$1",
  "$$ dollar $$",
  "a\nb\tc\\d",
  "黄金客户 🚀",
  "' OR '1'='1",
  "E'\\x00'",
  "",
];

describe("PostgresEngine", () => {
  it("binds parameters: hostile strings round-trip unchanged and tables stay intact", async () => {
    await postgres.exec(sql`CREATE TABLE notes (id BIGINT, body TEXT)`);
    for (const [i, body] of HOSTILE.entries()) {
      await postgres.exec(sql`INSERT INTO notes VALUES (${i}, ${body})`);
    }
    const rows = await postgres.query(
      rawRows<{ id: string; body: string }>(sql`SELECT id, body FROM notes ORDER BY id`),
    );
    expect(rows.map((r) => r.body)).toEqual(HOSTILE);
    const echoed = await postgres.query(rawRows<{ v: string }>(sql`SELECT ${HOSTILE[0] as string} AS v`));
    expect(echoed[0]?.v).toBe(HOSTILE[0]);
    const tables = await postgres.query(
      rawRows<{ n: string }>(sql`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ${"notes"}`),
    );
    expect(tables[0]?.n).toBe("1");
    await postgres.exec(sql`DROP TABLE notes`);
  });

  it("binds lists as text[] and refuses struct parameters clearly", async () => {
    const rows = await postgres.query(
      rawRows<{ n: number; has: boolean }>(
        sql`SELECT cardinality(${["a", "b'c", "{x}"]}::TEXT[]) AS n, ${"b'c"} = ANY(${["a", "b'c"]}::TEXT[]) AS has`,
      ),
    );
    expect(rows).toEqual([{ n: 3, has: true }]);
    await expect(postgres.query(records(sql`SELECT ${new TextStruct({ a: "b" })} AS v`))).rejects.toThrow(
      /not supported on PostgreSQL/,
    );
  });

  it("rolls a transaction back when its work fails, and commits when it succeeds", async () => {
    await postgres.exec(sql`CREATE TABLE ledger (n BIGINT)`);
    await expect(
      postgres.transaction(async () => {
        await postgres.exec(sql`INSERT INTO ledger VALUES (${1})`);
        await postgres.exec(sql`INSERT INTO ledger VALUES (${"not a number"})`);
      }),
    ).rejects.toThrow();
    expect(await postgres.query(records(sql`SELECT count(*) AS n FROM ledger`))).toEqual([{ n: "0" }]);
    await expect(
      postgres.transaction(async () => {
        await postgres.exec(sql`INSERT INTO ledger VALUES (${2})`);
        throw new Error("work failed");
      }),
    ).rejects.toThrow("work failed");
    expect(await postgres.query(records(sql`SELECT count(*) AS n FROM ledger`))).toEqual([{ n: "0" }]);
    const result = await postgres.transaction(async () => {
      await postgres.exec([sql`INSERT INTO ledger VALUES (${3})`, sql`INSERT INTO ledger VALUES (${4})`]);
      return "done";
    });
    expect(result).toBe("done");
    expect(await postgres.query(records(sql`SELECT sum(n) AS n FROM ledger`))).toEqual([{ n: "7" }]);
    await postgres.exec(sql`DROP TABLE ledger`);
  });

  it("says plainly which date formats it cannot read", async () => {
    expect(postgresDialect.dateFormatProblem("%d.%m.%Y %H:%M")).toBeNull();
    expect(postgresDialect.dateFormatProblem("%Y-%m-%d %Z")).toMatch(/^%Z is not supported on PostgreSQL/);
    expect(() => postgresDialect.tryTimestampFormatUtc(sql`'x'`, ["%U"], true)).toThrow(InternalError);
    await expect(postgres.describeSource({ path: "/nonexistent/x.json", format: "json" })).rejects.toThrow();
  });
});

/** Both engines, each with its own dialect. */
function engines(): Array<[string, Engine]> {
  return [
    ["duckdb", duckdb],
    ["postgres", postgres],
  ];
}

async function both(make: (engine: Engine) => SqlFragment): Promise<[unknown[], unknown[]]> {
  const duck = await duckdb.query(records(make(duckdb)));
  const pgRows = await postgres.query(records(make(postgres)));
  return [duck, pgRows];
}

describe("the same statements on DuckDB and PostgreSQL", () => {
  it.each([
    [
      "arithmetic and text",
      sql`SELECT 1 + 2 AS a, 'x' || ${"y"} AS b, upper(${"ab"}) AS c, CAST(length(${"héllo"}) AS BIGINT) AS d`,
    ],
    ["NULL handling", sql`SELECT COALESCE(NULL, ${"z"}) AS a, NULLIF(${"q"}, ${"q"}) AS b, ${null}::TEXT IS NULL AS c`],
    ["decimals come back as text", sql`SELECT CAST(${"12.5"} AS DECIMAL(18,4)) AS a, CAST(7 AS BIGINT) * 3 AS b`],
    ["timestamps come back as text", sql`SELECT CAST(${"2025-06-01 12:30:00"} AS TIMESTAMP) AS a`],
    ["dates come back as text", sql`SELECT CAST(${"2024-02-29"} AS DATE) AS a`],
    [
      "grouping",
      sql`SELECT k, count(*) AS n, sum(v) AS s FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS t(k, v) GROUP BY k ORDER BY k`,
    ],
  ])("%s", async (_name, statement) => {
    const [duck, pgRows] = await both(() => statement);
    expect(pgRows).toEqual(duck);
  });

  it.each(engines().map(([name]) => name))("keeps a table intact on %s after hostile parameters", async (name) => {
    const engine = engines().find(([n]) => n === name)?.[1] as Engine;
    await engine.exec(sql`CREATE TABLE kept (v TEXT)`);
    for (const v of HOSTILE) await engine.exec(sql`INSERT INTO kept VALUES (${v})`);
    const rows = await engine.query(rawRows<{ v: string }>(sql`SELECT v FROM kept`));
    expect(rows.map((r) => r.v).sort()).toEqual([...HOSTILE].sort());
    await engine.exec(sql`DROP TABLE kept`);
  });

  it.each([
    ["tryDecimal", (e: Engine) => e.dialect.tryDecimal(sql`${"12.34567"}`), "12.3457"],
    ["tryDecimal exponent", (e: Engine) => e.dialect.tryDecimal(sql`${"7e-3"}`), "0.0070"],
    ["tryDecimal junk", (e: Engine) => e.dialect.tryDecimal(sql`${"12,5"}`), null],
    [
      "tryTimestampUtc offset",
      (e: Engine) => e.dialect.tryTimestampUtc(sql`${"2025-01-01 10:00:00+02:00"}`, true),
      "2025-01-01 08:00:00",
    ],
    [
      "tryTimestampUtc plain",
      (e: Engine) => e.dialect.tryTimestampUtc(sql`${"2025-01-01 10:00:00"}`, true),
      "2025-01-01 10:00:00",
    ],
    ["tryTimestampUtc impossible", (e: Engine) => e.dialect.tryTimestampUtc(sql`${"2025-02-30"}`, true), null],
    ["isJsonObject", (e: Engine) => e.dialect.isJsonObject(sql`${'{"a": 1}'}`), true],
    ["isJsonObject array", (e: Engine) => e.dialect.isJsonObject(sql`${"[1]"}`), false],
    ["isJsonObject junk", (e: Engine) => e.dialect.isJsonObject(sql`${"{nope"}`), false],
    ["regexFullMatch", (e: Engine) => e.dialect.regexFullMatch(sql`${"AB-12"}`, "[A-Z]+-[0-9]+"), true],
    ["regexFullMatch partial", (e: Engine) => e.dialect.regexFullMatch(sql`${"xAB-12"}`, "[A-Z]+-[0-9]+"), false],
    ["regexFullMatch alternation", (e: Engine) => e.dialect.regexFullMatch(sql`${"ab"}`, "a|ab"), true],
    ["regexContains", (e: Engine) => e.dialect.regexContains(sql`${"x12y"}`, "[0-9]{2}"), true],
    ["regexReplaceAll", (e: Engine) => e.dialect.regexReplaceAll(sql`${"a1b22"}`, "[0-9]+", "#"), "a#b#"],
    ["trimmedOrNull", (e: Engine) => e.dialect.trimmedOrNull(sql`${"\u00a0 x \u3000"}`), "x"],
    ["trimmedOrNull empty", (e: Engine) => e.dialect.trimmedOrNull(sql`${"  "}`), null],
  ])("dialect %s", async (_name, make, expected) => {
    await postgres.exec(sql`SET TimeZone = 'UTC'`);
    await duckdb.exec(sql`SET TimeZone = 'UTC'`);
    const [duck, pgRows] = await both((e) => sql`SELECT ${make(e)} AS v`);
    expect(duck).toEqual([{ v: expected }]);
    expect(pgRows).toEqual([{ v: expected }]);
  });
});

describe("dialect parsers over table columns and session zones", () => {
  it("parses a text column the same way on both engines", async () => {
    const texts = ["1.5", "-0.00005", "7e2", "abc", "", "99999999999999999999", "2025-02-30", '{"k": [1]}', "[]"];
    const results: unknown[] = [];
    for (const [, engine] of engines()) {
      await engine.exec(sql`SET TimeZone = 'UTC'`);
      await engine.exec(sql`CREATE TABLE raw_values (i BIGINT, t TEXT)`);
      for (const [i, t] of texts.entries()) await engine.exec(sql`INSERT INTO raw_values VALUES (${i}, ${t})`);
      const t = ident("t");
      const d = engine.dialect;
      results.push(
        await engine.query(
          records(
            sql`SELECT ${d.tryDecimal(t)} AS dec, ${d.tryTimestampUtc(t, true)} AS ts, ${d.isJsonObject(t)} AS obj FROM raw_values ORDER BY i`,
          ),
        ),
      );
      await engine.exec(sql`DROP TABLE raw_values`);
    }
    expect(results[1]).toEqual(results[0]);
  });

  it("honours setTimeZone for text without an offset", async () => {
    const results: unknown[] = [];
    for (const [name, engine] of engines()) {
      // duckdbDialect.setTimeZone (set_config) does not exist on DuckDB 1.5; SET works on both.
      if (name === "postgres") await engine.query(records(engine.dialect.setTimeZone("Europe/Berlin")));
      else await engine.exec(sql`SET TimeZone = 'Europe/Berlin'`);
      results.push(
        await engine.query(
          records(
            sql`SELECT ${engine.dialect.tryTimestampUtc(sql`${"2025-07-01 10:00:00"}`, false)} AS summer, ${engine.dialect.tryTimestampUtc(sql`${"2025-01-01 10:00:00Z"}`, false)} AS zulu`,
          ),
        ),
      );
      await engine.exec(sql`SET TimeZone = 'UTC'`);
      const zones = await engine.query(
        rawRows<{ name: string }>(
          sql`SELECT name FROM (${engine.dialect.timeZoneNames().statement}) AS z WHERE name = ${"Europe/Berlin"}`,
        ),
      );
      expect(zones).toEqual([{ name: "Europe/Berlin" }]);
    }
    expect(results[0]).toEqual([{ summer: "2025-07-01 08:00:00", zulu: "2025-01-01 10:00:00" }]);
    expect(results[1]).toEqual(results[0]);
  });
});

describe("compiled policy expressions on both engines", () => {
  const scope = modelScope(
    { spend: "number", first_order: "date", missing: "number", vip: "boolean", label: "text" },
    "customers",
  );

  function compile(source: string, dialect: Dialect): SqlFragment {
    const result = parseAndCheck(source, scope);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("; "));
    const aggregate = (
      fn: AggregateFn,
      table: string,
      column: string | undefined,
      window: Window,
      filter?: SqlFragment,
    ) => {
      const asOf = sql`CAST(${"2026-01-01"} AS TIMESTAMP)`;
      const since =
        window.kind !== "duration"
          ? raw("TRUE")
          : sql`${ident("ordered_at")} >= ${dialect.shiftDate(asOf, "-", sql`${window.amount}`, window.unit)}`;
      const target = column === undefined ? raw("*") : ident(column);
      return sql`(SELECT ${raw(fn)}(${target}) FROM ${ident(table)} WHERE ${since} AND ${ident("ordered_at")} < ${asOf} AND ${filter ?? raw("TRUE")})`;
    };
    return compileExpression(result.expression, {
      resolve: (ref) => (ref.kind === "metric" ? ident("m", ref.name) : ident(ref.table, ref.column)),
      aggregate,
      dialect,
    });
  }

  beforeAll(async () => {
    const create = sql`CREATE TABLE orders AS SELECT * FROM (VALUES
        (CAST('2025-06-01' AS TIMESTAMP), CAST(100.0 AS NUMERIC(18,4)), 'completed'),
        (CAST('2025-11-30' AS TIMESTAMP), CAST(50.0 AS NUMERIC(18,4)), 'completed'),
        (CAST('2025-12-01' AS TIMESTAMP), CAST(70.0 AS NUMERIC(18,4)), 'returned'),
        (CAST('2023-01-01' AS TIMESTAMP), CAST(500.0 AS NUMERIC(18,4)), 'completed'),
        (CAST('2026-01-01' AS TIMESTAMP), CAST(999.0 AS NUMERIC(18,4)), 'completed')) AS t(ordered_at, amount, status)`;
    await duckdb.exec(create);
    await postgres.exec(create);
  });

  async function value(engine: Engine, source: string): Promise<unknown> {
    const metrics = raw(
      "(SELECT 100 AS spend, DATE '2025-01-10' AS first_order, CAST(NULL AS DOUBLE PRECISION) AS missing, TRUE AS vip, 'b2b' AS label) AS m, (SELECT 'b2b' AS kind) AS customers",
    );
    const rows = await engine.query(
      rawRows<{ v: unknown }>(sql`SELECT ${compile(source, engine.dialect)} AS v FROM ${metrics}`),
    );
    const v = rows[0]?.v;
    return typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }

  it.each([
    ["first_order + 1 month = date '2025-02-10'", true],
    ["date '2025-03-31' - 1 month = date '2025-02-28'", true],
    ["date '2025-03-01' - date '2025-02-01'", 28],
    ["days_between(first_order, date '2025-01-01')", -9],
    ["spend between 100 and 200 and spend in (1, 100)", true],
    ["label in ('b2c') or missing > 1", null],
    ["coalesce(missing, 7)", 7],
    ["7 / 2", 3.5],
    ["1 / 0", null],
    ["round(2.567, 1)", 2.6],
    ["greatest(1, 5, 3) + least(4, 2)", 7],
    ["-spend * 2 + 1", -199],
    ["'; drop table orders --' = '; drop table orders --'", true],
    ["sum(orders.amount, 12 months, status = 'completed')", 150],
    ["count(orders, 12 months)", 3],
    ["max(orders.ordered_at, lifetime) = date '2025-12-01'", true],
  ])("%s", async (source, expected) => {
    const onDuck = await value(duckdb, source);
    const onPg = await value(postgres, source);
    expect(onDuck).toEqual(expected);
    expect(onPg).toEqual(onDuck);
  });
});
