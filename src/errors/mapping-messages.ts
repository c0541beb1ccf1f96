import type { ErrorCode } from "./codes.js";

/**
 * Every message of a mapping file that cannot be used (`MAPPING_INVALID`),
 * by message id, with its template. `{where}` is the dotted path of the
 * value in the mapping; `{reason}` and `{problem}` are a parser's or
 * validator's own words (the YAML parser, the schema, the expression
 * language's message).
 */
export const MAPPING_MESSAGES = {
  "mapping.unreadable": { code: "MAPPING_INVALID", text: "cannot read mapping file: {reason}" },
  "mapping.yaml": { code: "MAPPING_INVALID", text: "{reason}" },
  "mapping.invalid": { code: "MAPPING_INVALID", text: "{problem}" },
  "mapping.invalid-value": { code: "MAPPING_INVALID", text: "{where}: {problem}" },
  "mapping.unknown-table": { code: "MAPPING_INVALID", text: "unknown table {table}" },
  "mapping.unknown-column": { code: "MAPPING_INVALID", text: "{table} has no column {column}" },
  "mapping.not-a-timestamp": { code: "MAPPING_INVALID", text: "{table}.{column} is not a timestamp column" },
  "mapping.value-not-allowed": {
    code: "MAPPING_INVALID",
    text: "{table}.{column}: {from} maps to {to}, which is not one of {values}",
  },
  "mapping.derived-not-customers": {
    code: "MAPPING_INVALID",
    text: "{table}.from: only customers can be derived from orders",
  },
  "mapping.computed-and-other": { code: "MAPPING_INVALID", text: "{table}.{column} is both computed and {other}" },
  "mapping.renamed-and-constant": { code: "MAPPING_INVALID", text: "{table}.{column} is both renamed and constant" },
  "mapping.group-by-unknown": {
    code: "MAPPING_INVALID",
    text: "{table}.group_by: {column} is not a column of {file}",
  },
  "mapping.derived-with-file": {
    code: "MAPPING_INVALID",
    text: "customers.from: a derived table has no file of its own; remove file or from",
  },
  "mapping.derived-orders-file": {
    code: "MAPPING_INVALID",
    text: "customers.from: orders must name its file (file:) to derive customers from it",
  },
  "mapping.derived-customer-id": {
    code: "MAPPING_INVALID",
    text: "customers.from: orders.customer_id must be a column of the orders' file (columns:)",
  },
} as const satisfies Readonly<Record<string, { readonly code: ErrorCode; readonly text: string }>>;
