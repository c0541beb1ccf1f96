import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../../src/engine/duckdb-engine.js";
import type { AggregateFn, Window } from "../../../src/plan/expression.js";
import { modelScope, parseAndCheck } from "../../../src/policy/expression/check.js";
import { duckdbDialect } from "../../../src/sql/dialect/duckdb.js";
import { compileExpression, type ExpressionSqlHooks } from "../../../src/sql/expression.js";
import { ident, raw, render, type SqlFragment, sql } from "../../../src/sql/fragment.js";
import { rawRows } from "../../support/raw-rows.js";

const scope = modelScope(
  { spend: "number", first_order: "date", missing: "number", vip: "boolean", label: "text" },
  "customers",
);

/** Windowed aggregates over the test's `orders` table, as of 2026-01-01. */
function aggregate(fn: AggregateFn, table: string, column: string | undefined, window: Window, filter?: SqlFragment) {
  const asOf = sql`CAST(${"2026-01-01"} AS TIMESTAMP)`;
  const since =
    window.kind !== "duration"
      ? raw("TRUE")
      : sql`${ident("ordered_at")} >= ${duckdbDialect.shiftDate(asOf, "-", sql`${window.amount}`, window.unit)}`;
  const target = column === undefined ? raw("*") : ident(column);
  return sql`(SELECT ${raw(fn)}(${target}) FROM ${ident(table)} WHERE ${since} AND ${ident("ordered_at")} < ${asOf} AND ${filter ?? raw("TRUE")})`;
}

const hooks: ExpressionSqlHooks = {
  resolve: (ref) => (ref.kind === "metric" ? ident("m", ref.name) : ident(ref.table, ref.column)),
  aggregate: (fn, table, column, window, filter) => aggregate(fn, table, column, window, filter),
  dialect: duckdbDialect,
};

function compile(source: string): SqlFragment {
  const result = parseAndCheck(source, scope);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("; "));
  return compileExpression(result.expression, hooks);
}

describe("expression SQL (golden)", () => {
  it.each([
    ["spend >= 100 and kind = 'b2b'", `(("m"."spend" >= $1) AND ("customers"."kind" = $2))`, [100, "b2b"]],
    [
      "first_order + 12 months < date '2025-01-01'",
      `(("m"."first_order" + CAST($1 AS INTEGER) * INTERVAL '1 month') < CAST($2 AS DATE))`,
      [12, "2025-01-01"],
    ],
    [
      "date '2025-03-01' - first_order",
      `(CAST(CAST($1 AS DATE) AS DATE) - CAST("m"."first_order" AS DATE))`,
      ["2025-03-01"],
    ],
    ["spend / 2 - -1", `(("m"."spend" / NULLIF($1, 0)) - (- $2))`, [2, 1]],
    ["not vip or spend not between 1 and 2", `((NOT "m"."vip") OR ("m"."spend" NOT BETWEEN $1 AND $2))`, [1, 2]],
    [
      "label not in ('a', 'b') and missing is not null",
      `(("m"."label" NOT IN ($1, $2)) AND ("m"."missing" IS NOT NULL))`,
      ["a", "b"],
    ],
    ["round(coalesce(missing, 0), 2)", `round(COALESCE("m"."missing", $1), CAST($2 AS INTEGER))`, [0, 2]],
    [
      "count(orders, lifetime, status = 'completed')",
      `(SELECT count(*) FROM "orders" WHERE TRUE AND "ordered_at" < CAST($1 AS TIMESTAMP) AND ("orders"."status" = $2))`,
      ["2026-01-01", "completed"],
    ],
  ])("%s", (source, text, params) => {
    expect(render(compile(source))).toEqual({ text, params });
  });

  it("keeps hostile text literals in parameters only", () => {
    const hostile = ["'; drop table orders --", 'x" OR 1=1 --', "$1", "a\nb", "黄金客户", "' OR '1'='1"];
    for (const value of hostile) {
      const source = `label = '${value.replaceAll("'", "''")}'`;
      const { text, params } = render(compile(source));
      expect(text).toBe(`("m"."label" = $1)`);
      expect(params).toEqual([value]);
    }
  });

  it("refuses a tree that was not checked", () => {
    const unchecked = { kind: "number" as const, value: 1, span: { offset: 0, end: 1, line: 1, column: 1 } };
    expect(() => compileExpression({ ...unchecked, type: "number" }, hooks)).not.toThrow();
    const withoutType = unchecked as unknown as Parameters<typeof compileExpression>[0];
    expect(() => compileExpression(withoutType, hooks)).toThrowError(/not type-checked/);
  });
});

describe("expression SQL on DuckDB", () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open({ path: ":memory:" });
    await engine.exec(
      sql`CREATE TABLE orders AS SELECT * FROM (VALUES
        (TIMESTAMP '2025-06-01', 100.0, 'completed'),
        (TIMESTAMP '2025-11-30', 50.0, 'completed'),
        (TIMESTAMP '2025-12-01', 70.0, 'returned'),
        (TIMESTAMP '2023-01-01', 500.0, 'completed'),
        (TIMESTAMP '2026-01-01', 999.0, 'completed')) AS t(ordered_at, amount, status)`,
    );
  });
  afterAll(async () => {
    await engine.close();
  });

  async function value(source: string): Promise<unknown> {
    const metrics = raw(
      "(SELECT 100 AS spend, DATE '2025-01-10' AS first_order, CAST(NULL AS DOUBLE) AS missing, TRUE AS vip, 'b2b' AS label) AS m, (SELECT 'b2b' AS kind) AS customers",
    );
    const rows = await engine.query(rawRows<{ v: unknown }>(sql`SELECT ${compile(source)} AS v FROM ${metrics}`));
    const v = rows[0]?.v;
    return typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }

  it.each([
    ["first_order + 1 month = date '2025-02-10'", true],
    ["date '2025-03-31' - 1 month = date '2025-02-28'", true],
    ["first_order - 2 weeks = date '2024-12-27'", true],
    ["1 year + first_order = date '2026-01-10'", true],
    ["date '2025-03-01' - date '2025-02-01'", 28],
    ["days_between(date '2024-02-01', date '2024-03-01')", 29],
    ["days_between(first_order, date '2025-01-01')", -9],
    ["spend between 100 and 200", true],
    ["spend not between 101 and 200", true],
    ["spend in (1, 100)", true],
    ["label in ('b2c')", false],
    ["kind = 'b2b' and vip", true],
    ["missing is null", true],
    ["missing > 1", null],
    ["missing > 1 or true", true],
    ["coalesce(missing, 7)", 7],
    ["7 / 2", 3.5],
    ["1 / 0", null],
    ["round(2.567, 1)", 2.6],
    ["greatest(1, 5, 3) + least(4, 2)", 7],
    ["abs(-3)", 3],
    ["-spend * 2 + 1", -199],
    ["'; drop table orders --' = '; drop table orders --'", true],
    ["sum(orders.amount, 12 months, status = 'completed')", 150],
    ["sum(orders.amount, lifetime)", 720],
    ["count(orders, 12 months)", 3],
    ["max(orders.ordered_at, lifetime) = date '2025-12-01'", true],
  ])("%s", async (source, expected) => {
    expect(await value(source)).toEqual(expected);
  });

  it("leaves the orders table intact after hostile literals", async () => {
    await value("label = '''; drop table orders; --'");
    const rows = await engine.query(rawRows<{ n: unknown }>(sql`SELECT count(*) AS n FROM orders`));
    expect(Number(rows[0]?.n)).toBe(5);
  });
});
