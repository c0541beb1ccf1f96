import { InternalError } from "../../errors/tierwise-error.js";
import type { ColumnType } from "../../model/index.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import type { Dialect } from "./dialect.js";
import { strptimeProblem, strptimeSql, strptimeZoned } from "./postgres-strptime.js";

const TYPES: Record<ColumnType, string> = {
  id: "TEXT",
  text: "TEXT",
  timestamp: "TIMESTAMP",
  money: "NUMERIC(18,4)",
  integer: "BIGINT",
  number: "NUMERIC(18,4)",
  enum: "TEXT",
  json: "JSONB",
};

/**
 * Unicode space separators (category Zs), the characters DuckDB's trim()
 * removes; PostgreSQL's btrim removes only what it is given.
 */
const SPACE_SEPARATORS = String.fromCodePoint(
  0x20,
  0xa0,
  0x1680,
  0x2000,
  0x2001,
  0x2002,
  0x2003,
  0x2004,
  0x2005,
  0x2006,
  0x2007,
  0x2008,
  0x2009,
  0x200a,
  0x202f,
  0x205f,
  0x3000,
);

/**
 * `value` when it is valid input for `type`, else NULL. The cast goes around
 * this CASE, never inside it: PostgreSQL folds a cast of a constant (a bound
 * parameter or literal) while planning, even in a CASE branch not taken, and
 * fails; `pg_input_is_valid` is STABLE, so the CASE itself is not folded.
 */
function validOrNull(value: SqlFragment, type: "numeric(18,4)" | "timestamptz" | "jsonb"): SqlFragment {
  return sql`CASE WHEN pg_input_is_valid(${value}, ${raw(`'${type}'`)}) THEN ${value} END`;
}

/**
 * PostgreSQL. The "try" parsers use `pg_input_is_valid` (PostgreSQL 16 and
 * later): a regular-expression guard cannot see overflow or impossible dates
 * (`2025-02-30`), and a failed cast would abort the statement.
 * Regular expressions are PostgreSQL's ARE flavour, not RE2 as on DuckDB:
 * the common subset (classes, groups, quantifiers, `(?:…)`) behaves alike.
 */
export const postgresDialect: Dialect = {
  name: "postgres",
  columnType: (type) => TYPES[type],
  trimmedOrNull: (value) => sql`nullif(btrim(${value}, ${SPACE_SEPARATORS}), '')`,
  tryDecimal: (value) => sql`CAST(${validOrNull(value, "numeric(18,4)")} AS NUMERIC(18,4))`,
  // Text without an offset is read in the session zone (TimeZone), as `setTimeZone` asks;
  // `sessionIsUtc` needs no faster path here.
  tryTimestampUtc: (value) => sql`(CAST(${validOrNull(value, "timestamptz")} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`,
  tryTimestampFormatUtc: (value, formats, sessionIsUtc) => {
    const problem = formats.map(strptimeProblem).find((p) => p !== null);
    if (problem) throw new InternalError(`unchecked date format reached SQL: ${problem}`);
    // As on DuckDB: with %z in any format every result is an instant; else text is local to the session zone.
    const zoned = strptimeZoned(formats);
    const parsed = strptimeSql(value, formats, zoned);
    return zoned || sessionIsUtc ? parsed : sql`(CAST(${parsed} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`;
  },
  isJsonObject: (value) => sql`COALESCE(jsonb_typeof(CAST(${validOrNull(value, "jsonb")} AS JSONB)) = 'object', false)`,
  regexContains: (value, pattern) => sql`(${value} ~ ${pattern})`,
  regexFullMatch: (value, pattern) => sql`(${value} ~ ('^(?:' || ${pattern} || ')$'))`,
  regexReplaceAll: (value, pattern, replacement) => sql`regexp_replace(${value}, ${pattern}, ${replacement}, 'g')`,
  createTempTable: (name, definition) => [
    // pg_temp: never a store table of the same name.
    sql`DROP TABLE IF EXISTS ${ident("pg_temp", name)}`,
    sql`CREATE TEMP TABLE ${ident(name)} ${definition}`,
  ],
  // to_json escapes text exactly as DuckDB's json_object does (checked by the cross-engine tests).
  jsonObjectText: (pairs) =>
    pairs.length === 0
      ? raw("'{}'")
      : sql`('{' || ${join(
          pairs.map(
            ([key, value]) =>
              sql`CAST(to_json(CAST(${key} AS TEXT)) AS TEXT) || ':' || coalesce(CAST(to_json(CAST(${value} AS TEXT)) AS TEXT), 'null')`,
          ),
          " || ',' || ",
        )} || '}')`,
  dateFormatProblem: strptimeProblem,
  setTimeZone: (zone) => sql`SELECT set_config('TimeZone', ${zone}, false)`,
  timeZoneNames: () => raw("SELECT name FROM pg_timezone_names"),
};
