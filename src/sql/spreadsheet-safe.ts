import { integer, join, type SqlFragment, sql } from "./fragment.js";

/**
 * CSV injection (OWASP, "CSV Injection"): a spreadsheet reads a cell that
 * starts with one of these characters as a formula. Every CSV file
 * Tierwise writes puts a single quote `'` before such a text cell (which
 * spreadsheets show as text), unless the command is given `--raw`. Only
 * text cells are guarded: numbers (a negative amount -12.5) stay numbers.
 */
export const FORMULA_STARTS: readonly string[] = ["=", "+", "-", "@", "\t", "\r"];

/** `text` made safe to open in a spreadsheet: a leading `'` when it starts with a formula character. */
export function spreadsheetSafeText(text: string): string {
  return FORMULA_STARTS.includes(text.charAt(0)) ? `'${text}` : text;
}

const starts = join(
  FORMULA_STARTS.map((c) => sql`chr(${integer(c.charCodeAt(0))})`),
  ", ",
);

/**
 * The same rule in SQL, for writers that stream a query to a file: a text
 * value starting with a formula character gets a leading `'`; other values
 * (and NULL) are unchanged. The same SQL on DuckDB and PostgreSQL.
 */
export function spreadsheetSafe(value: SqlFragment): SqlFragment {
  return sql`CASE WHEN substr(${value}, 1, 1) IN (${starts}) THEN '''' || ${value} ELSE ${value} END`;
}

/** `value` guarded by `spreadsheetSafe` when `guard` (a CSV file without `--raw`), else as it is. */
export function textCell(value: SqlFragment, guard: boolean): SqlFragment {
  return guard ? spreadsheetSafe(value) : value;
}
