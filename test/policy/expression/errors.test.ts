import { describe, expect, it } from "vitest";
import { modelScope, parseAndCheck } from "../../../src/policy/expression/check.js";
import { ExpressionError, MAX_DEPTH } from "../../../src/policy/expression/codes.js";
import { parseExpression } from "../../../src/policy/expression/parser.js";

const scope = modelScope({ spend: "number", orders_12m: "number", first_order: "date", vip: "boolean" }, "customers");

/** The single problem reported for `source`, as code, line:column and hint. */
function problem(source: string, expected?: "boolean" | "number") {
  const result = parseAndCheck(source, scope, expected);
  if (result.ok) throw new Error(`expected an error for ${source}`);
  return result.errors.map((e) => ({ code: e.code, at: `${e.line}:${e.column}`, hint: e.hint }));
}

describe("expression syntax errors", () => {
  it.each([
    ["", "EXPR_SYNTAX", "1:1", undefined],
    ["   \n  ", "EXPR_SYNTAX", "2:3", undefined],
    ["spend > 'abc", "EXPR_SYNTAX", "1:9", "add the closing '"],
    ["spend > 5 5", "EXPR_SYNTAX", "1:11", undefined],
    ["abs(When)", "EXPR_SYNTAX", "1:5", 'a column named When is written in double quotes: "When"'],
    ["spend > and", "EXPR_SYNTAX", "1:9", undefined],
    ["spend > 5 )", "EXPR_SYNTAX", "1:11", undefined],
    ["a < b < c", "EXPR_SYNTAX", "1:7", "comparisons do not chain; join them with and"],
    // A double-quoted word is a name (for source columns with spaces in a mapping), so "b2b" is an unknown one.
    ['kind = "b2b"', "EXPR_UNKNOWN_NAME", "1:8", "text literals use single quotes"],
    ["spend > ", "EXPR_SYNTAX", "1:9", undefined],
    ["(spend > 5", "EXPR_SYNTAX", "1:11", undefined],
    ["x = null", "EXPR_SYNTAX", "1:5", "test for it with 'is null'"],
    ["x between 1 or 2", "EXPR_SYNTAX", "1:13", undefined],
    ["x in 1, 2", "EXPR_SYNTAX", "1:6", undefined],
    ["x is 5", "EXPR_SYNTAX", "1:6", undefined],
    ["orders. > 1", "EXPR_SYNTAX", "1:9", undefined],
    ["spend @ 2", "EXPR_SYNTAX", "1:7", undefined],
    ["'a\u0000b'", "EXPR_SYNTAX", "1:3", undefined],
    ["date '2025-02-30' > first_order", "EXPR_BAD_LITERAL", "1:6", undefined],
    ["1.5 months", "EXPR_BAD_LITERAL", "1:1", undefined],
    ["spend > 1e999", "EXPR_BAD_LITERAL", "1:9", undefined],
    ["sum(orders.amount, 12) > 1", "EXPR_BAD_WINDOW", "1:20", undefined],
    ["sum(orders.amount, 0 days) > 1", "EXPR_BAD_WINDOW", "1:20", undefined],
  ])("%j", (source, code, at, hint) => {
    expect(problem(source)).toEqual([{ code, at, hint }]);
  });

  it("throws ExpressionError from the parser with the position in the message", () => {
    expect(() => parseExpression("spend >\n  and x")).toThrowError(ExpressionError);
    expect(() => parseExpression("spend >\n  and x")).toThrowError("2:3 expected a value but found 'and'");
  });

  it("refuses deep nesting with a coded error instead of overflowing the stack", () => {
    for (const source of ["(".repeat(10_000), `${"(".repeat(MAX_DEPTH + 1)}1${")".repeat(MAX_DEPTH + 1)}`]) {
      expect(problem(source)[0]?.code).toBe("EXPR_TOO_DEEP");
    }
    expect(problem("-".repeat(10_000) + "1")[0]?.code).toBe("EXPR_TOO_DEEP");
    expect(problem("not ".repeat(10_000) + "vip")[0]?.code).toBe("EXPR_TOO_DEEP");
    expect(problem("abs(".repeat(10_000))[0]?.code).toBe("EXPR_TOO_DEEP");
    const ok = parseAndCheck(`${"(".repeat(MAX_DEPTH - 1)}spend${")".repeat(MAX_DEPTH - 1)} > 1`, scope, "boolean");
    expect(ok.ok).toBe(true);
  });
});

describe("expression check errors", () => {
  it.each([
    ["spnd > 5", "EXPR_UNKNOWN_NAME", "1:1", "did you mean spend?"],
    ["regoin = 'EU'", "EXPR_UNKNOWN_NAME", "1:1", "did you mean region?"],
    ["zzzzzz > 1", "EXPR_UNKNOWN_NAME", "1:1", undefined],
    ["spend > 'x'", "EXPR_TYPE_MISMATCH", "1:9", undefined],
    ["first_order > '2025-01-01'", "EXPR_TYPE_MISMATCH", "1:15", "write date '2025-01-01'"],
    ["spend + vip > 1", "EXPR_TYPE_MISMATCH", "1:9", undefined],
    ["first_order * 2 > 1", "EXPR_TYPE_MISMATCH", "1:1", "dates take + or - a duration such as 30 days"],
    ["spend + 30 days > 1", "EXPR_TYPE_MISMATCH", "1:9", "dates take + or - a duration such as 30 days"],
    ["vip < true", "EXPR_TYPE_MISMATCH", "1:1", undefined],
    ["spend and vip", "EXPR_TYPE_MISMATCH", "1:1", undefined],
    ["not spend", "EXPR_TYPE_MISMATCH", "1:5", undefined],
    ["-vip", "EXPR_TYPE_MISMATCH", "1:2", undefined],
    ["spend between 1 and 'x'", "EXPR_TYPE_MISMATCH", "1:21", undefined],
    ["spend in (1, 'a')", "EXPR_TYPE_MISMATCH", "1:14", undefined],
    ["kind = 'btb'", "EXPR_UNKNOWN_VALUE", "1:8", "did you mean b2b?"],
    ["kind in ('b2c', 'zz')", "EXPR_UNKNOWN_VALUE", "1:17", "one of b2c, b2b"],
    ["absx(spend) > 1", "EXPR_UNKNOWN_FUNCTION", "1:1", "did you mean abs?"],
    ["abs(spend, 2) > 1", "EXPR_ARITY", "1:1", undefined],
    ["least(spend) > 1", "EXPR_ARITY", "1:1", undefined],
    ["days_between(spend, first_order) > 1", "EXPR_TYPE_MISMATCH", "1:1", undefined],
    ["coalesce(spend, 'x') > 1", "EXPR_TYPE_MISMATCH", "1:1", undefined],
    ["sum(ordrs.amount, 12 months) > 1", "EXPR_UNKNOWN_TABLE", "1:1", "did you mean orders?"],
    ["count(ordrs, 12 months, stat = 'x') > 1", "EXPR_UNKNOWN_TABLE", "1:1", "did you mean orders?"],
    ["sum(orders.amout, 12 months) > 1", "EXPR_UNKNOWN_COLUMN", "1:1", "did you mean amount?"],
    ["sum(orders, 12 months) > 1", "EXPR_ARITY", "1:1", "name a column, e.g. sum(orders.amount, …)"],
    ["sum(orders.status, 12 months) > 1", "EXPR_TYPE_MISMATCH", "1:1", undefined],
    ["count(orders, 12 months, stats = 'completed') > 1", "EXPR_UNKNOWN_NAME", "1:26", "did you mean status?"],
    ["count(orders, 12 months, status = 'complete') > 1", "EXPR_UNKNOWN_VALUE", "1:35", "did you mean completed?"],
    ["count(orders, 12 months, amount) > 1", "EXPR_TYPE_MISMATCH", "1:26", undefined],
    ["count(orders, 12 months, spend > 1) > 1", "EXPR_UNKNOWN_NAME", "1:26", undefined],
    ["count(orders, 1 year, amount > sum(orders.amount, 1 year)) > 1", "EXPR_BAD_WINDOW", "1:32", undefined],
    ["orders.amount > 1", "EXPR_OUT_OF_SCOPE", "1:1", "aggregate it, e.g. sum(orders.amount, 12 months)"],
    ["customers.attributes is null", "EXPR_UNSUPPORTED_COLUMN", "1:1", undefined],
  ])("%j", (source, code, at, hint) => {
    expect(problem(source)).toEqual([{ code, at, hint }]);
  });

  it("requires a condition to be boolean", () => {
    expect(problem("spend + 1", "boolean")).toEqual([{ code: "EXPR_TYPE_MISMATCH", at: "1:1", hint: undefined }]);
  });

  it("collects every problem of an expression in one pass, in source order", () => {
    const codes = problem("spnd > 1 and kind = 'x' and abs(1, 2) > 0").map((p) => `${p.code}@${p.at}`);
    expect(codes).toEqual(["EXPR_UNKNOWN_NAME@1:1", "EXPR_UNKNOWN_VALUE@1:21", "EXPR_ARITY@1:29"]);
  });

  it("does not cascade from one unknown name into type errors", () => {
    expect(problem("spnd + 1 > 2 and spnd in (1, 2)").map((p) => p.code)).toEqual([
      "EXPR_UNKNOWN_NAME",
      "EXPR_UNKNOWN_NAME",
    ]);
  });
});
