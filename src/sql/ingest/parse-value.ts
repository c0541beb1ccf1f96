import type { DecimalMark } from "../../plan/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { type SqlFragment, sql } from "../fragment.js";

/**
 * Expressions that turn trimmed source text into typed values. They return
 * NULL for text that is not a value of the type; checks tell why.
 */

const SEPARATORS_DOT = "[, \u00a0\u202f']";
const SEPARATORS_COMMA = "[. \u00a0\u202f']";
/** 1,234,567.89 (dot decimal) or 1.234.567,89 (comma decimal), also with spaces or apostrophes. */
const GROUPED_DOT = `[+-]?[0-9]{1,3}(${SEPARATORS_DOT}[0-9]{3})+(\\.[0-9]*)?`;
const GROUPED_COMMA = `[+-]?[0-9]{1,3}(${SEPARATORS_COMMA}[0-9]{3})+(,[0-9]*)?`;
/** A plain number after normalisation, including scientific notation. */
export const NUMBER_SHAPE = "[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";
/** Text that looks like an ISO date or date-time, valid or not. */
export const ISO_SHAPE =
  "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]+)?)?)? ?(Z|z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)?";
/** NaN and infinities as spreadsheets and languages write them (compared in lower case). */
export const NOT_FINITE_TEXT = "[+-]?(nan|inf|infinity|∞)";

/** Number text with thousands separators removed and a `.` decimal mark. */
export function normaliseNumberText(d: Dialect, s: SqlFragment, mark: DecimalMark): SqlFragment {
  if (mark === ".") {
    return sql`CASE WHEN ${d.regexFullMatch(s, GROUPED_DOT)} THEN ${d.regexReplaceAll(s, SEPARATORS_DOT, "")} ELSE ${s} END`;
  }
  return sql`CASE WHEN ${d.regexFullMatch(s, GROUPED_COMMA)} THEN replace(${d.regexReplaceAll(s, SEPARATORS_COMMA, "")}, ',', '.') ELSE replace(${s}, ',', '.') END`;
}

/** Normalised number text → DECIMAL, or NULL. */
export function parseNumber(d: Dialect, n: SqlFragment): SqlFragment {
  return d.tryDecimal(n);
}

/**
 * A UTC offset after a time that no place uses and no engine reads alike:
 * beyond ±18:00 (`+99:00`, `+18:01`), minutes of 60 or more (`+05:60`), or
 * with seconds (`+05:30:15`, which neither ISO 8601 nor RFC 3339 allow).
 * DuckDB would store a shifted time; PostgreSQL refuses above ±15:59.
 */
export const BAD_OFFSET =
  "[0-9]:[0-9]{2}(:[0-9]{2}(\\.[0-9]*)?)?[+-]([0-9]{2}:?[0-9]{2}:[0-9]{2}|(19|[2-9][0-9])(:?[0-9]{2})?|18:?(0[1-9]|[1-9][0-9])|[0-9]{2}:?[6-9][0-9])$";

/**
 * Trimmed text → UTC timestamp, or NULL. Text without an offset is read in
 * the session zone; text with an offset outside ±18:00 is not a timestamp.
 */
export function parseTimestamp(
  d: Dialect,
  s: SqlFragment,
  formats: readonly string[],
  zoneIsUtc: boolean,
): SqlFragment {
  const parsed = formats.length > 0 ? d.tryTimestampFormatUtc(s, formats, zoneIsUtc) : d.tryTimestampUtc(s, zoneIsUtc);
  // Also with a mapping's `%z` format: DuckDB's strptime, too, would take `+99:00`.
  return sql`CASE WHEN ${d.regexContains(s, BAD_OFFSET)} THEN NULL ELSE ${parsed} END`;
}
