import { describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engine/duckdb-engine.js";
import { InternalError } from "../../src/errors/tierwise-error.js";
import { ident, integer, join, quoteIdent, render, sql } from "../../src/sql/index.js";
import { rawRows } from "../support/raw-rows.js";

const HOSTILE = [
  "'; DROP TABLE orders; --",
  "Robert'); DROP TABLE customers;--",
  '"; DELETE FROM customers; --',
  "$1",
  "line\nbreak",
  "\u0000nul",
  "黄金客户",
  "' OR '1'='1",
];

describe("sql fragments", () => {
  it("binds interpolated values as numbered parameters", () => {
    const s = render(sql`SELECT * FROM ${ident("orders")} WHERE amount > ${100} AND status = ${"completed"}`);
    expect(s.text).toBe('SELECT * FROM "orders" WHERE amount > $1 AND status = $2');
    expect(s.params).toEqual([100, "completed"]);
  });

  it("numbers parameters across joined fragments", () => {
    const s = render(sql`SELECT ${join([sql`${1}`, sql`${2}`, sql`${3}`])}`);
    expect(s.text).toBe("SELECT $1, $2, $3");
  });

  it.each(HOSTILE)("never puts a value into SQL text: %j", (value) => {
    const s = render(sql`SELECT ${value} AS v`);
    expect(s.text).toBe("SELECT $1 AS v");
    expect(s.params).toEqual([value]);
  });

  it.each(HOSTILE)("refuses a hostile identifier: %j", (value) => {
    expect(() => ident(value)).toThrow(/unsafe SQL identifier/);
  });

  it("quotes identifiers by doubling quotes and refuses NUL", () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(() => quoteIdent("a\u0000")).toThrow();
  });

  it("round-trips hostile values through DuckDB unchanged", async () => {
    const engine = await DuckDbEngine.open({ path: ":memory:" });
    try {
      await engine.exec(sql`CREATE TABLE t (v VARCHAR)`);
      for (const value of HOSTILE) await engine.exec(sql`INSERT INTO t VALUES (${value})`);
      const rows = await engine.query(rawRows<{ v: string }>(sql`SELECT v FROM t ORDER BY rowid`));
      expect(rows.map((r) => r.v)).toEqual(HOSTILE);
      const tables = await engine.query(rawRows<{ n: string }>(sql`SELECT count(*) AS n FROM duckdb_tables()`));
      expect(tables[0]?.n).toBe("1");
    } finally {
      await engine.close();
    }
  });

  it("writes whole numbers into the text and refuses anything else", () => {
    // integer() no longer truncates (a fraction is refused below): a caller wanting the whole part truncates itself.
    expect(render(sql`LIMIT ${integer(42)} OFFSET ${integer(Math.trunc(7.9))}`).text).toBe("LIMIT 42 OFFSET 7");
    expect(render(sql`WHERE run_id = ${integer(-3)}`)).toEqual({ text: "WHERE run_id = -3", params: [] });
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])
      expect(() => integer(bad)).toThrow(/whole number/);
  });

  it("refuses a fraction or an unsafe integer as an internal error naming the value, never rounding it", () => {
    for (const [bad, named] of [
      [7.9, "7.9"],
      [-0.5, "-0.5"],
      [Number.MAX_SAFE_INTEGER + 1, "9007199254740992"],
      [Number.NEGATIVE_INFINITY, "-Infinity"],
    ] as const) {
      expect(() => integer(bad)).toThrow(InternalError);
      expect(() => integer(bad)).toThrow(named);
    }
    expect(render(sql`${integer(Number.MAX_SAFE_INTEGER)}`).text).toBe("9007199254740991");
  });
});
