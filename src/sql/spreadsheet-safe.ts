import { type SqlFragment, sql } from "./fragment.js";

/**
 * A text value made safe to open in a spreadsheet (CSV injection): a value
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be
 * read as a formula, so it gets a leading apostrophe, which spreadsheets
 * show as text. Other values (and NULL) are unchanged. The same SQL on
 * DuckDB and PostgreSQL.
 */
export function spreadsheetSafe(value: SqlFragment): SqlFragment {
  return sql`CASE WHEN substr(${value}, 1, 1) IN ('=', '+', '-', '@') OR substr(${value}, 1, 1) = chr(9)
    OR substr(${value}, 1, 1) = chr(13) THEN '''' || ${value} ELSE ${value} END`;
}
