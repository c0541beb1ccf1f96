export type { Dialect } from "./dialect/dialect.js";
export { duckdbDialect } from "./dialect/duckdb.js";
export {
  ident,
  integer,
  join,
  param,
  quoteIdent,
  raw,
  render,
  type Sql,
  SqlFragment,
  type SqlPart,
  type SqlValue,
  sql,
  TextStruct,
} from "./fragment.js";
export { col, type Decoder, Query, type RowOf, type RowShape, records, select } from "./row.js";
