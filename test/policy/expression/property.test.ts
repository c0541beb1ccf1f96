import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AggregateFn, Expression, Window } from "../../../src/plan/expression.js";
import { modelScope, parseAndCheck } from "../../../src/policy/expression/check.js";
import { ExpressionError } from "../../../src/policy/expression/codes.js";
import { AGGREGATES, parseExpression, RESERVED } from "../../../src/policy/expression/parser.js";
import { printExpression } from "../../../src/policy/expression/print.js";
import { withoutSpans } from "./support.js";

const span = { offset: 0, end: 0, line: 1, column: 1 };
const word = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/).filter((w) => !RESERVED.has(w));
const functionName = word.filter((w) => !AGGREGATES.has(w));
const unit = fc.constantFrom("day" as const, "week" as const, "month" as const, "year" as const);

const leaf: fc.Arbitrary<Expression> = fc.oneof(
  fc.oneof(fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 })).map((v) => ({
    kind: "number" as const,
    value: Math.abs(v),
    span,
  })),
  fc.string({ unit: "binary" }).map((v) => ({ kind: "text" as const, value: v.replaceAll("\u0000", ""), span })),
  fc.boolean().map((value) => ({ kind: "boolean" as const, value, span })),
  fc
    .date({ min: new Date("1000-01-01"), max: new Date("2999-12-31"), noInvalidDate: true })
    .map((d) => ({ kind: "date" as const, value: d.toISOString().slice(0, 10), span })),
  fc.record({ amount: fc.nat({ max: 100 }), unit }).map((d) => ({ kind: "duration" as const, ...d, span })),
  word.map((name) => ({ kind: "name" as const, name, span })),
  fc.tuple(word, word).map(([table, column]) => ({ kind: "column" as const, table, column, span })),
);

const windowArb: fc.Arbitrary<Window> = fc.oneof(
  fc.constant({ kind: "lifetime" as const, span }),
  fc.record({ amount: fc.integer({ min: 1, max: 100 }), unit }).map((d) => ({ kind: "duration" as const, ...d, span })),
);

const { tree } = fc.letrec<{ tree: Expression }>((tie) => {
  const sub = tie("tree");
  return {
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      sub.map((operand) => ({ kind: "negate" as const, operand, span })),
      sub.map((operand) => ({ kind: "not" as const, operand, span })),
      fc
        .tuple(fc.constantFrom("+" as const, "-" as const, "*" as const, "/" as const), sub, sub)
        .map(([op, left, right]) => ({ kind: "arithmetic" as const, op, left, right, span })),
      fc
        .tuple(
          fc.constantFrom("=" as const, "<>" as const, "<" as const, "<=" as const, ">" as const, ">=" as const),
          sub,
          sub,
        )
        .map(([op, left, right]) => ({ kind: "compare" as const, op, left, right, span })),
      fc
        .tuple(fc.constantFrom("and" as const, "or" as const), sub, sub)
        .map(([op, left, right]) => ({ kind: "logical" as const, op, left, right, span })),
      fc
        .tuple(fc.boolean(), sub, sub, sub)
        .map(([negated, value, low, high]) => ({ kind: "between" as const, negated, value, low, high, span })),
      fc
        .tuple(fc.boolean(), sub, fc.array(sub, { minLength: 1, maxLength: 3 }))
        .map(([negated, value, list]) => ({ kind: "in" as const, negated, value, list, span })),
      fc.tuple(fc.boolean(), sub).map(([negated, value]) => ({ kind: "is_null" as const, negated, value, span })),
      fc
        .tuple(functionName, fc.array(sub, { maxLength: 3 }))
        .map(([name, args]) => ({ kind: "call" as const, name, args, span })),
      fc
        .record(
          {
            fn: fc.constantFrom(...([...AGGREGATES] as AggregateFn[])),
            table: word,
            column: word,
            window: windowArb,
            filter: sub,
          },
          { requiredKeys: ["fn", "table", "window"] },
        )
        .map((a) => ({ kind: "aggregate" as const, ...a, span })),
    ),
  };
});

describe("expression properties", () => {
  it("parse(print(tree)) gives back the tree", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(withoutSpans(parseExpression(printExpression(t)))).toEqual(withoutSpans(t));
      }),
      { numRuns: 1000 },
    );
  });

  const HOSTILE = [
    "'; drop table orders --",
    "'",
    '"',
    "\u0000",
    "(",
    ")",
    "--",
    "/*",
    ";",
    "$1",
    "\n",
    "黄金",
    "not",
    "and",
    "between",
    "in",
    "is",
    "null",
    "sum(",
    "orders.",
    ",",
    "12 months",
    "date",
    "1e",
    ".5",
    "'2025-01-01'",
    " ",
    "spend",
    ">",
    "-",
  ];
  const hostileText = fc.array(fc.constantFrom(...HOSTILE), { maxLength: 25 }).map((parts) => parts.join(""));
  const scope = modelScope({ spend: "number" }, "customers");

  it("never throws anything but ExpressionError, and checking never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme-ascii" }), hostileText), (s) => {
        try {
          parseExpression(s);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(ExpressionError);
        }
        parseAndCheck(s, scope, "boolean");
      }),
      { numRuns: 3000 },
    );
  });

  it("canonical text is a fixed point of parse then print", () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        let once: string;
        try {
          once = printExpression(parseExpression(s));
        } catch {
          return;
        }
        expect(printExpression(parseExpression(once))).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});
