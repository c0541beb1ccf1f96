/**
 * Stable codes of every problem the expression language reports, each with
 * what it means. The messages of each code are in expression-messages.ts.
 */
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
