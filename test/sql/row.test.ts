import { describe, expect, it } from "vitest";
import { InternalError } from "../../src/errors/index.js";
import { col, select, sql } from "../../src/sql/index.js";

/**
 * The decoders of src/sql/row.ts on the representations the drivers use
 * (test/run/engine/typed-rows.test.ts runs them against both real engines):
 * each accepts the forms of its type and throws an InternalError naming the
 * column for anything else.
 */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    if (e instanceof Error) return e;
  }
  throw new Error("did not throw");
}

describe("column decoders", () => {
  it("read BIGINT and DECIMAL text, numbers and bigints as numbers", () => {
    expect(col.number("0.25", "x")).toBe(0.25);
    expect(col.number(0.25, "x")).toBe(0.25);
    expect(col.number(12n, "x")).toBe(12);
    expect(col.amount("-1234.50", "x")).toBe(-1234.5);
    expect(col.integer("12345678901", "x")).toBe(12345678901);
  });

  it("refuse empty text, text that is no number, and fractions or unsafe integers as whole numbers", () => {
    expect(thrown(() => col.number("", "revenue")).message).toBe(
      'query column "revenue" should be a number but is string',
    );
    expect(thrown(() => col.amount("12 EUR", "revenue"))).toBeInstanceOf(InternalError);
    expect(thrown(() => col.integer("1.5", "days")).message).toBe(
      'query column "days" should be a whole number but is string',
    );
    expect(thrown(() => col.integer("9007199254740993", "id")).message).toMatch(/"id" should be a whole number/);
  });

  it("keep dates and timestamps as the engine's text and refuse anything else", () => {
    expect(col.date("2026-01-31", "day")).toBe("2026-01-31");
    expect(col.timestamp("2026-01-31 12:34:56", "at")).toBe("2026-01-31 12:34:56");
    expect(thrown(() => col.date(20260131, "day")).message).toBe('query column "day" should be a date but is number');
  });

  it("read texts, turning a number a driver returned into its digits", () => {
    expect(col.text("gold", "tier")).toBe("gold");
    expect(col.text(7, "tier")).toBe("7");
    expect(thrown(() => col.text(null, "tier")).message).toBe('query column "tier" should be text but is null');
  });

  it("accept NULL only where the shape says nullable", () => {
    expect(col.nullable(col.integer)(null, "n")).toBeNull();
    expect(col.nullable(col.integer)("3", "n")).toBe(3);
    expect(thrown(() => col.integer(null, "n")).message).toBe('query column "n" should be a number but is null');
  });

  it("read booleans and lists item by item", () => {
    expect(col.boolean(true, "yes")).toBe(true);
    expect(thrown(() => col.boolean("true", "yes"))).toBeInstanceOf(InternalError);
    expect(col.list(col.integer)(["1", 2], "ids")).toEqual([1, 2]);
    expect(thrown(() => col.list(col.text)("{a,b}", "names")).message).toBe(
      'query column "names" should be a list but is string',
    );
  });
});

describe("select(shape, statement)", () => {
  const query = select({ n: col.integer, revenue: col.amount }, sql`SELECT n, revenue FROM t`);

  it("decodes a raw row column by column and drops columns the shape does not name", () => {
    expect(query.decode({ n: "2", revenue: "10.50", extra: "x" })).toEqual({ n: 2, revenue: 10.5 });
  });

  it("throws an InternalError naming a column the row does not have (a renamed column)", () => {
    const error = thrown(() => query.decode({ n: "2", net_revenue: "10.50" }));
    expect(error).toBeInstanceOf(InternalError);
    expect(error.message).toBe('query result has no column "revenue"');
  });

  it("throws an InternalError naming the column holding a text where a number belongs", () => {
    const error = thrown(() => query.decode({ n: "2", revenue: "ten" }));
    expect(error).toBeInstanceOf(InternalError);
    expect(error.message).toBe('query column "revenue" should be a number but is string');
  });
});
