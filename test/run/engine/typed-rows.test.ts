import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine.js";
import { InternalError } from "../../../src/errors/index.js";
import { col, records, select, sql } from "../../../src/sql/index.js";
import { memoryStore } from "../support.js";

/**
 * The column decoders of src/sql/row.ts against the values the engines
 * really return (DuckDB's JSON rows, pg's parsers): one SELECT of each type,
 * decoded to the same TypeScript values on DuckDB and on PostgreSQL.
 */
let engine: Engine;

beforeAll(async () => {
  engine = await memoryStore();
});

afterAll(async () => {
  await engine.close();
});

const everyType = select(
  {
    big: col.integer,
    beyond: col.text,
    amount: col.amount,
    ratio: col.number,
    day: col.date,
    at: col.timestamp,
    yes: col.boolean,
    nothing: col.nullable(col.integer),
    something: col.nullable(col.amount),
    names: col.list(col.text),
  },
  sql`SELECT CAST(12345678901 AS BIGINT) AS big,
  CAST(9007199254740993 AS BIGINT) AS beyond,
  CAST(1234.56 AS DECIMAL(18, 2)) AS amount,
  CAST(0.25 AS DOUBLE PRECISION) AS ratio,
  CAST('2026-01-31' AS DATE) AS day,
  CAST('2026-01-31 12:34:56' AS TIMESTAMP) AS at,
  1 < 2 AS yes,
  CAST(NULL AS BIGINT) AS nothing,
  CAST(-0.50 AS DECIMAL(18, 2)) AS something,
  ARRAY['gold', 'silver'] AS names`,
);

describe("typed query results on a real engine", () => {
  it("decodes a BIGINT, a DECIMAL, a DOUBLE, a DATE, a TIMESTAMP, a BOOLEAN, a NULL and a list", async () => {
    const rows = await engine.query(everyType);
    expect(rows).toEqual([
      {
        big: 12345678901,
        // Beyond 2^53 a BIGINT read as text keeps every digit.
        beyond: "9007199254740993",
        amount: 1234.56,
        ratio: 0.25,
        day: "2026-01-31",
        at: "2026-01-31 12:34:56",
        yes: true,
        nothing: null,
        something: -0.5,
        names: ["gold", "silver"],
      },
    ]);
  });

  it("keeps only the columns the shape names", async () => {
    const rows = await engine.query(select({ n: col.integer }, sql`SELECT 3 AS n, 'x' AS other`));
    expect(rows).toEqual([{ n: 3 }]);
  });

  it("returns a statement's rows as they come when its columns are known only at run time", async () => {
    const [row] = await engine.query(records(sql`SELECT 'a' AS c1, CAST(NULL AS VARCHAR) AS c2`));
    expect(row).toEqual({ c1: "a", c2: null });
  });

  it("throws an InternalError naming a column the SELECT does not return (a renamed column)", async () => {
    const renamed = select({ n: col.integer, revenue: col.amount }, sql`SELECT 1 AS n, 2.5 AS net_revenue`);
    const error = await engine.query(renamed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('query result has no column "revenue"');
  });

  it("throws an InternalError naming the column when a text comes back in a number column", async () => {
    const error = await engine
      .query(select({ revenue: col.amount }, sql`SELECT 'twelve' AS revenue`))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('query column "revenue" should be a number but is string');
  });

  it("throws an InternalError naming the column when a NULL comes back in a column not declared nullable", async () => {
    const error = await engine
      .query(select({ n: col.integer }, sql`SELECT CAST(NULL AS BIGINT) AS n`))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('query column "n" should be a number but is null');
  });

  it("throws an InternalError naming the column when a fraction comes back in a whole-number column", async () => {
    const error = await engine
      .query(select({ days: col.integer }, sql`SELECT CAST(1.5 AS DECIMAL(4, 1)) AS days`))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toBe('query column "days" should be a whole number but is string');
  });
});
