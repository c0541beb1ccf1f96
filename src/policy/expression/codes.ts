import type { Span } from "../../plan/expression.js";

/** Stable codes of every problem the expression language reports. */
export const EXPRESSION_CODES = {
  EXPR_SYNTAX: "the text is not a valid expression",
  EXPR_TOO_DEEP: "the expression nests deeper than the parser allows",
  EXPR_BAD_LITERAL: "a literal (date, duration, number) is malformed",
  EXPR_UNKNOWN_NAME: "a name is neither a metric nor a column in scope",
  EXPR_UNKNOWN_TABLE: "a table is not part of the data model",
  EXPR_UNKNOWN_COLUMN: "a column does not exist in its table",
  EXPR_OUT_OF_SCOPE: "a column is named where its table's rows are not in scope",
  EXPR_UNSUPPORTED_COLUMN: "a column's type cannot be used in expressions",
  EXPR_UNKNOWN_VALUE: "a text literal is not one of an enum column's values",
  EXPR_TYPE_MISMATCH: "an operand has the wrong type",
  EXPR_UNKNOWN_FUNCTION: "a function does not exist",
  EXPR_ARITY: "a function got the wrong number of arguments",
  EXPR_BAD_WINDOW: "an aggregate's window or column is not usable",
} as const;

export type ExpressionCode = keyof typeof EXPRESSION_CODES;

/** Largest nesting of parentheses, calls, prefix operators and chained binary operators the parser accepts. */
export const MAX_DEPTH = 200;

/** Longest expression text accepted, in characters. */
export const MAX_LENGTH = 100_000;

/**
 * A mistake in an expression written by a user: a stable code, a message
 * for the person who must fix it, the 1-based line and column where it is,
 * and, when one is close, a hint such as "did you mean spend?".
 */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
  readonly code: ExpressionCode;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly hint: string | undefined;
  /** The message without position or hint. */
  readonly reason: string;

  constructor(code: ExpressionCode, message: string, at: Pick<Span, "offset" | "line" | "column">, hint?: string) {
    super(`${at.line}:${at.column} ${message}${hint ? ` (${hint})` : ""}`);
    this.code = code;
    this.line = at.line;
    this.column = at.column;
    this.offset = at.offset;
    this.hint = hint;
    this.reason = message;
  }
}
