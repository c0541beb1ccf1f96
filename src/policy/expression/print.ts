import type { DurationLiteral, Expression, Window } from "../../plan/expression.js";
import { RESERVED } from "./parser.js";

/** Binding strength, higher binds tighter; mirrors the parser's levels. */
const Level = {
  Or: 1,
  And: 2,
  Not: 3,
  Comparison: 4,
  Additive: 5,
  Multiplicative: 6,
  Unary: 7,
  Primary: 8,
} as const;
type Level = number;

function level(expr: Expression): Level {
  switch (expr.kind) {
    case "logical":
      return expr.op === "or" ? Level.Or : Level.And;
    case "not":
      return Level.Not;
    case "compare":
    case "between":
    case "in":
    case "is_null":
    case "like":
      return Level.Comparison;
    case "arithmetic":
      return expr.op === "+" || expr.op === "-" ? Level.Additive : Level.Multiplicative;
    case "negate":
      return Level.Unary;
    default:
      return Level.Primary;
  }
}

/** Print `expr`, parenthesised when it binds looser than `min`. */
function at(expr: Expression, min: Level): string {
  const text = printExpression(expr);
  return level(expr) < min ? `(${text})` : text;
}

/** A column after `table.`: as it is when a plain word, else in double quotes (`orders."unit price"`). */
function columnPart(column: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(column) && !RESERVED.has(column.toLowerCase())
    ? column
    : `"${column.replaceAll('"', '""')}"`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function duration(d: DurationLiteral): string {
  return `${d.amount} ${d.unit}${d.amount === 1 ? "" : "s"}`;
}

function windowText(w: Window): string {
  return w.kind === "lifetime" ? "lifetime" : w.kind === "calendar" ? `calendar_${w.unit}` : duration(w);
}

/**
 * Print a tree as canonical text: lower-case keywords, single spaces, and
 * only the parentheses the precedence rules need. Parsing the result gives
 * back the same tree (spans aside).
 * @example printExpression(parseExpression("(A+b)*2 >=x")) // "(A + b) * 2 >= x"
 */
export function printExpression(expr: Expression): string {
  switch (expr.kind) {
    case "number":
      return String(expr.value);
    case "text":
      return quote(expr.value);
    case "boolean":
      return String(expr.value);
    case "date":
      return `date ${quote(expr.value)}`;
    case "duration":
      return duration(expr);
    case "name":
      return expr.quoted ? `"${expr.name.replaceAll('"', '""')}"` : expr.name;
    case "column":
      return `${expr.table}.${columnPart(expr.column)}`;
    case "negate": {
      // `- -x` keeps a space so the text never reads as a comment marker.
      const operand = at(expr.operand, Level.Unary);
      return operand.startsWith("-") ? `- ${operand}` : `-${operand}`;
    }
    case "not":
      return `not ${at(expr.operand, Level.Not)}`;
    case "arithmetic": {
      const own = level(expr);
      return `${at(expr.left, own)} ${expr.op} ${at(expr.right, own + 1)}`;
    }
    case "logical": {
      const own = level(expr);
      return `${at(expr.left, own)} ${expr.op} ${at(expr.right, own + 1)}`;
    }
    case "compare":
      return `${at(expr.left, Level.Additive)} ${expr.op} ${at(expr.right, Level.Additive)}`;
    case "between":
      return `${at(expr.value, Level.Additive)} ${expr.negated ? "not " : ""}between ${at(expr.low, Level.Additive)} and ${at(expr.high, Level.Additive)}`;
    case "in":
      return `${at(expr.value, Level.Additive)} ${expr.negated ? "not " : ""}in (${expr.list.map(printExpression).join(", ")})`;
    case "is_null":
      return `${at(expr.value, Level.Additive)} is ${expr.negated ? "not " : ""}null`;
    case "like":
      return `${at(expr.value, Level.Additive)} ${expr.negated ? "not " : ""}like ${at(expr.pattern, Level.Additive)}`;
    case "case": {
      const whens = expr.whens.map((w) => `when ${printExpression(w.when)} then ${printExpression(w.value)}`);
      const otherwise = expr.otherwise === undefined ? "" : ` else ${printExpression(expr.otherwise)}`;
      return `case ${whens.join(" ")}${otherwise} end`;
    }
    case "call":
      return `${expr.name}(${expr.args.map(printExpression).join(", ")})`;
    case "aggregate": {
      const target = expr.column === undefined ? expr.table : `${expr.table}.${columnPart(expr.column)}`;
      const filter = expr.filter === undefined ? "" : `, ${printExpression(expr.filter)}`;
      return `${expr.fn}(${target}, ${windowText(expr.window)}${filter})`;
    }
  }
}
