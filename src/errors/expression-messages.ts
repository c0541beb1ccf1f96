import type { ExpressionCode } from "./expression-codes.js";

/**
 * Every message the expression language reports, by message id: the stable
 * code it reports under (EXPRESSION_CODES) and its template. A `{name}`
 * placeholder is a parameter the call site must give (`MessageTextParams`);
 * a part built from a list or a count (`{count}`, `{where}`) is built at the
 * call site and passed whole.
 */
export const EXPRESSION_MESSAGES = {
  // The lexer.
  "expr.too-long": { code: "EXPR_SYNTAX", text: "the expression is longer than {max} characters" },
  "expr.quoted-name-open": { code: "EXPR_SYNTAX", text: "quoted name is not closed" },
  "expr.quoted-name-empty": { code: "EXPR_SYNTAX", text: "a quoted name is empty" },
  "expr.text-open": { code: "EXPR_SYNTAX", text: "text literal is not closed" },
  "expr.text-nul": { code: "EXPR_SYNTAX", text: "text literal contains a NUL character" },
  "expr.unexpected-character": { code: "EXPR_SYNTAX", text: "unexpected character {character}" },
  // The parser.
  "expr.empty": { code: "EXPR_SYNTAX", text: "the expression is empty" },
  "expr.trailing": { code: "EXPR_SYNTAX", text: "unexpected {token} after a complete expression" },
  "expr.expected-op": { code: "EXPR_SYNTAX", text: "expected '{op}' {what} but found {token}" },
  "expr.expected-value": { code: "EXPR_SYNTAX", text: "expected a value but found {token}" },
  "expr.null-value": { code: "EXPR_SYNTAX", text: "null is not a value here" },
  "expr.expected-column": { code: "EXPR_SYNTAX", text: "expected a column name after '{table}.'" },
  "expr.expected-aggregated": {
    code: "EXPR_SYNTAX",
    text: "expected table.column (or a table for count) as the first argument of {function}",
  },
  "expr.too-deep": { code: "EXPR_TOO_DEEP", text: "the expression nests deeper than {max} levels" },
  "expr.unknown-unit": { code: "EXPR_BAD_LITERAL", text: "unknown time unit '{unit}' in '{amount} {unit}'" },
  "expr.number-too-large": {
    code: "EXPR_BAD_LITERAL",
    text: "number {number} is too large: numbers are at most 10^15 in size",
  },
  "expr.duration-not-whole": { code: "EXPR_BAD_LITERAL", text: "a duration needs a whole number" },
  "expr.duration-too-long": { code: "EXPR_BAD_LITERAL", text: "{amount} {unit} is longer than 100 years" },
  "expr.bad-date": { code: "EXPR_BAD_LITERAL", text: "a date literal must be a real date written YYYY-MM-DD" },
  "expr.expected-window": {
    code: "EXPR_BAD_WINDOW",
    text: "expected a window such as 12 months, calendar_year or lifetime but found {token}",
  },
  "expr.empty-window": { code: "EXPR_BAD_WINDOW", text: "a window must be longer than zero" },
  // The checker.
  "expr.wrong-result": { code: "EXPR_TYPE_MISMATCH", text: "the expression must give a {expected}, not a {actual}" },
  "expr.nested-aggregate-filter": {
    code: "EXPR_BAD_WINDOW",
    text: "an aggregate's filter cannot contain another aggregate",
  },
  "expr.case-types": { code: "EXPR_TYPE_MISMATCH", text: "case gives a {first} here but a {other} there" },
  "expr.expected-type": { code: "EXPR_TYPE_MISMATCH", text: "expected a {expected} but this is a {actual}" },
  "expr.not-a-source-column": { code: "EXPR_UNKNOWN_NAME", text: "{name} is not a column of the file" },
  "expr.metric-needs-arguments": { code: "EXPR_ARITY", text: "{name} needs {arguments}" },
  "expr.unknown-name": { code: "EXPR_UNKNOWN_NAME", text: "{name} is not {where}" },
  "expr.unknown-table": { code: "EXPR_UNKNOWN_TABLE", text: "{table} is not a table of the data model" },
  "expr.unknown-column": { code: "EXPR_UNKNOWN_COLUMN", text: "{table} has no column {column}" },
  "expr.out-of-scope": { code: "EXPR_OUT_OF_SCOPE", text: "{table}.{column} cannot be used here" },
  "expr.unsupported-column": {
    code: "EXPR_UNSUPPORTED_COLUMN",
    text: "column {column} holds {type} and cannot be used",
  },
  "expr.arithmetic-types": { code: "EXPR_TYPE_MISMATCH", text: "cannot use {op} on a {left} and a {right}" },
  "expr.not-comparable": { code: "EXPR_TYPE_MISMATCH", text: "a {type} cannot be compared this way" },
  "expr.compare-types": { code: "EXPR_TYPE_MISMATCH", text: "cannot compare a {type} with a {other}" },
  "expr.unknown-value": { code: "EXPR_UNKNOWN_VALUE", text: "'{value}' is not a value of this column" },
  "expr.unknown-function": { code: "EXPR_UNKNOWN_FUNCTION", text: "there is no function {function}" },
  "expr.function-arity": { code: "EXPR_ARITY", text: "{function} takes {count} {noun}, got {got}" },
  "expr.function-types": { code: "EXPR_TYPE_MISMATCH", text: "{function} {problem}" },
  "expr.needs-horizon": {
    code: "EXPR_BAD_WINDOW",
    text: "{function} needs a horizon ahead such as 90 days or 12 months",
  },
  "expr.needs-window": {
    code: "EXPR_BAD_WINDOW",
    text: "{function} needs a window such as 12 months, calendar_year or lifetime",
  },
  "expr.nested-in-itself": { code: "EXPR_BAD_WINDOW", text: "{function} cannot be nested in itself" },
  "expr.row-aggregate-ungrouped": {
    code: "EXPR_UNKNOWN_FUNCTION",
    text: "{function} aggregates the rows of a group: only in compute: of a table with group_by",
  },
  "expr.row-aggregate-nested": { code: "EXPR_BAD_WINDOW", text: "{function} cannot be used inside another aggregate" },
  "expr.row-aggregate-arity": { code: "EXPR_ARITY", text: "{function} takes 1 argument, got {got}" },
  "expr.row-aggregate-type": { code: "EXPR_TYPE_MISMATCH", text: "{function} cannot take a {type}" },
  "expr.aggregate-needs-column": { code: "EXPR_ARITY", text: "{function} needs a column, not only a table" },
  "expr.aggregate-column-type": {
    code: "EXPR_TYPE_MISMATCH",
    text: "{function} cannot aggregate {type} column {column}",
  },
  // Where a mapping's derived value must be of one type (src/ingest/plan-table.ts).
  "expr.mapping-value-type": { code: "EXPR_TYPE_MISMATCH", text: "{what} needs a {expected}, not a {actual}" },
  // A number compared with money, times the policy's scale (src/policy/money.ts).
  "expr.scaled-too-large": {
    code: "EXPR_BAD_LITERAL",
    text: "{value} times scale {scale} is {result}, larger than 10^15",
  },
} as const satisfies Readonly<Record<string, { readonly code: ExpressionCode; readonly text: string }>>;
