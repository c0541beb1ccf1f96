import { InternalError } from "../../errors/tierwise-error.js";
import type { ColumnType } from "../../model/index.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { standardDateForms } from "./date-forms.js";
import type { Dialect } from "./dialect.js";
import { strptimeProblem, strptimeSql } from "./postgres-strptime.js";

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

/** DuckDB's JSON escapes of control characters: the short ones, else `\u00XX` in upper case. */
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };

/**
 * Text as a JSON string exactly as DuckDB writes it. `to_json` agrees except
 * that it writes `\u001f` where DuckDB writes `\u001F`, so text holding a
 * control character is escaped here, one replace per character.
 */
function jsonString(value: SqlFragment): SqlFragment {
  const text = sql`CAST(${value} AS TEXT)`;
  let escaped = sql`replace(replace(${text}, '\\', '\\\\'), '"', '\\"')`;
  for (let c = 1; c < 32; c++) {
    const to = SHORT_ESCAPES[c] ?? `\\u00${c.toString(16).toUpperCase().padStart(2, "0")}`;
    escaped = sql`replace(${escaped}, chr(${integer(c)}), ${raw(`'${to}'`)})`;
  }
  return sql`CASE WHEN ${text} ~ '[\\x01-\\x1f]' THEN '"' || ${escaped} || '"' ELSE CAST(to_json(${text}) AS TEXT) END`;
}

/** The characters DuckDB's decimal cast reads (no NaN, no 0x…). */
const DECIMAL_CHARS = "^[ \\t\\n\\r\\v\\f0-9+.eE_-]*$";

const WS = "[ \\t\\n\\r\\v\\f]";
/**
 * What DuckDB's timestamp cast reads: a date (digits, one of `-/ \\` twice,
 * one- or two-digit month and day), an optional time after `T` or a space
 * (seconds below 60), then `Z`, an offset (`+HH`, `+HHMM`, `+HH:MM`) or a
 * zone name after a space; or `infinity`, `-infinity`, `epoch`. PostgreSQL
 * reads much more (`yesterday`, `01/02/2024`, `20240101`, `10 pm`, …).
 */
const DUCKDB_TIMESTAMP =
  `^${WS}*(-?[0-9]+(-[0-9]{1,2}-|/[0-9]{1,2}/| [0-9]{1,2} |\\\\[0-9]{1,2}\\\\)[0-9]{1,2}( \\([Bb][Cc]\\))?` +
  "((T| +)[0-9]{1,2}:[0-9]{1,2}(:[0-5]?[0-9](\\.[0-9]*)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?| [A-Za-z][A-Za-z0-9_/-]{2,})?)?" +
  `|[-]?[Ii][Nn][Ff][Ii][Nn][Ii][Tt][Yy]|[Ee][Pp][Oo][Cc][Hh])${WS}*$`;

/** ISO text both engines read alike: 4-digit year (not 0000), 2-digit fields, at most 6 fraction digits. */
const PLAIN_ISO_TIMESTAMP =
  "^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-5][0-9](\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$";

/**
 * Timestamp text as DuckDB reads it, for PostgreSQL: a year of fewer than
 * four digits is that year (PostgreSQL would read `24` as 2024); year 0 and
 * negative years, which DuckDB reads and PostgreSQL does not, become a year
 * from 400 to 799 with the same leap years (any such date is before 1900
 * and rejected as out of range alike); digits of a second beyond the
 * microsecond are cut (PostgreSQL would round).
 */
function duckDbTimestampText(value: SqlFragment): SqlFragment {
  const year = sql`substring(${value} FROM ${`^${WS}*-?([0-9]+)`})`;
  const rest = sql`substring(${value} FROM ${`^${WS}*-?[0-9]+(.*)$`})`;
  const early = sql`${value} ~ ${`^${WS}*(-[0-9]+|0+)[-/ \\\\]`}`;
  const short = sql`${value} ~ ${`^${WS}*[0-9]{1,3}[-/ \\\\]`}`;
  const fixed = sql`CASE WHEN ${early} THEN CAST(mod(CAST(${year} AS NUMERIC), 400) + 400 AS TEXT) || ${rest}
    WHEN ${short} THEN lpad(${year}, 4, '0') || ${rest} ELSE ${value} END`;
  return sql`regexp_replace(${fixed}, ${"(\\.[0-9]{6})[0-9]+"}, ${"\\1"})`;
}

/**
 * An offset from ±16:00 to ±18:00 after a time: valid (as on DuckDB), but
 * beyond PostgreSQL's own limit of ±15:59, so read by hand.
 */
const FAR_OFFSET = "[0-9]:[0-9]{2}(:[0-9]{2}(\\.[0-9]*)?)?[+-]1[6-8](:?[0-5][0-9])?$";

/** Text ending in a `FAR_OFFSET`: the local date-time before it, less the offset, as UTC. */
function farOffsetUtc(value: SqlFragment): SqlFragment {
  const local = sql`substring(${value} FROM ${"^(.*[0-9]:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]*)?)?)[+-]1[6-8](?::?[0-5][0-9])?$"})`;
  const sign = sql`CASE WHEN substring(${value} FROM ${"([+-])1[6-8](?::?[0-5][0-9])?$"}) = '-' THEN -1 ELSE 1 END`;
  const hours = sql`CAST(substring(${value} FROM ${"[+-](1[6-8])(?::?[0-5][0-9])?$"}) AS INTEGER)`;
  const minutes = sql`coalesce(CAST(substring(${value} FROM ${"[+-]1[6-8]:?([0-5][0-9])$"}) AS INTEGER), 0)`;
  const timestamp = sql`CAST(CASE WHEN pg_input_is_valid(${local}, 'timestamp') THEN ${local} END AS TIMESTAMP)`;
  return sql`(${timestamp} - make_interval(mins => ${sign} * (${hours} * 60 + ${minutes})))`;
}

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
 * `/` on integers truncates and on numerics is (nearly) exact, while DuckDB
 * divides in double precision; dividing doubles here too gives bit-identical
 * fractions, so equal values tie alike in rankings. round() exists for
 * numeric only and, on doubles, would round half to even.
 */
export const postgresDialect: Dialect<"postgres"> = {
  name: "postgres",
  oneWriterProcess: false,
  columnType: (type) => TYPES[type],
  trimmedOrNull: (value) => sql`nullif(btrim(${value}, ${SPACE_SEPARATORS}), '')`,
  // PostgreSQL also reads NaN and 0x/0o/0b integers, which DuckDB's decimal cast does not.
  tryDecimal: (value) =>
    sql`CAST(CASE WHEN ${value} ~ ${DECIMAL_CHARS} THEN ${validOrNull(value, "numeric(18,4)")} END AS NUMERIC(18,4))`,
  // Text without an offset is read in the session zone (TimeZone), as `setTimeZone` asks;
  // `sessionIsUtc` needs no faster path here.
  tryTimestampUtc: (value) => {
    // Plain ISO text (nearly all of it) is read as it is; other text DuckDB reads is normalised first.
    const text = duckDbTimestampText(value);
    const valid = (v: SqlFragment) => sql`CASE WHEN pg_input_is_valid(${v}, 'timestamptz') THEN ${v} END`;
    const read = sql`(CAST(CASE WHEN ${value} ~ ${PLAIN_ISO_TIMESTAMP} THEN ${valid(value)}
      WHEN ${text} ~ ${DUCKDB_TIMESTAMP} THEN ${valid(text)} END AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`;
    return sql`CASE WHEN ${value} ~ ${FAR_OFFSET} THEN ${farOffsetUtc(value)} ELSE ${read} END`;
  },
  tryTimestampFormatUtc: (value, formats, sessionIsUtc) => {
    const problem = formats.map(strptimeProblem).find((p) => p !== null);
    if (problem) throw new InternalError(`unchecked date format reached SQL: ${problem}`);
    return strptimeSql(value, formats, sessionIsUtc);
  },
  isJsonObject: (value) => sql`COALESCE(jsonb_typeof(CAST(${validOrNull(value, "jsonb")} AS JSONB)) = 'object', false)`,
  regexContains: (value, pattern) => sql`(${value} ~ ${pattern})`,
  regexFullMatch: (value, pattern) => sql`(${value} ~ ('^(?:' || ${pattern} || ')$'))`,
  regexReplaceAll: (value, pattern, replacement) => sql`regexp_replace(${value}, ${pattern}, ${replacement}, 'g')`,
  // OFFSET 0 keeps the planner from inlining the subquery (and recomputing its columns per reference).
  computedOnce: (select) => sql`${select} OFFSET 0`,
  // An anti-join: NOT IN (subquery) runs row by row once the keys outgrow work_mem.
  absentFrom: (value, table, column) =>
    sql`NOT EXISTS (SELECT 1 FROM ${ident(table)} r WHERE r.${ident(column)} = ${value})`,
  createTempTable: (name, definition) => [
    // pg_temp: never a store table of the same name.
    sql`DROP TABLE IF EXISTS ${ident("pg_temp", name)}`,
    sql`CREATE TEMP TABLE ${ident(name)} ${definition}`,
  ],
  jsonObjectText: (pairs) =>
    pairs.length === 0
      ? raw("'{}'")
      : sql`('{' || ${join(
          pairs.map(([key, value]) => sql`${jsonString(sql`${key}`)} || ':' || coalesce(${jsonString(value)}, 'null')`),
          " || ',' || ",
        )} || '}')`,
  dateFormatProblem: strptimeProblem,
  setTimeZone: (zone) => sql`SELECT set_config('TimeZone', ${zone}, false)`,
  timeZoneNames: () => select({ name: col.text }, raw("SELECT name FROM pg_timezone_names")),
  byteOrder: (value) => sql`(${value}) COLLATE "C"`,
  lockEntities: (ids) =>
    ids.length === 0
      ? []
      : [
          sql`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(id, 0) AS k FROM unnest(CAST(${[...ids]} AS TEXT[])) AS u(id)) AS keys ORDER BY k`,
        ],
  lockOutbox: () => [sql`SELECT pg_advisory_xact_lock(hashtextextended('tw_events', 0))`],
  storeIndexes: () =>
    POSTGRES_STORE_INDEXES.map(
      ([name, table, columns]) =>
        sql`CREATE INDEX IF NOT EXISTS ${ident(name)} ON ${ident(table)} (${join(columns.map((c) => ident(c)))})`,
    ),
  refreshStatistics: (tables) => (tables.length === 0 ? [] : [sql`ANALYZE ${join(tables.map((t) => ident(t)))}`]),
  ...standardDateForms,
  divide: (left, right) => sql`(CAST(${left} AS DOUBLE PRECISION) / NULLIF(CAST(${right} AS DOUBLE PRECISION), 0))`,
  round: (value, digits) =>
    digits ? sql`round(CAST(${value} AS NUMERIC), CAST(${digits} AS INTEGER))` : sql`round(CAST(${value} AS NUMERIC))`,
  latest: (value, order, filter) => sql`(array_agg(${value} ORDER BY ${order}) FILTER (WHERE ${filter}))[1]`,
  firstBy: (value, keys, descending, filter) =>
    sql`(array_agg(${value} ORDER BY ${join(keys.map((k) => (descending ? sql`${k} DESC` : k)))}) FILTER (WHERE ${filter}))[1]`,
  intDiv: (left, right) => sql`div(${left}, ${right})`,
  argMin: (value, key) => sql`(array_agg(${value} ORDER BY ${key}))[1]`,
};

/**
 * Without these, every read of one run scanned every run's rows, and with the
 * planner's estimate of one row for a run id newer than its statistics, joined
 * the run's grades to its name tables row by row: writing a run's events and
 * exporting a run slowed with each run in the store (minutes at 30 runs).
 */
const POSTGRES_STORE_INDEXES: readonly (readonly [name: string, table: string, columns: readonly string[]])[] = [
  ["tw_grades_run", "tw_grades", ["run_id", "scheme_no", "entity_id"]],
  ["tw_run_schemes_run", "tw_run_schemes", ["run_id", "scheme_no"]],
  ["tw_run_tiers_run", "tw_run_tiers", ["run_id", "scheme_no", "tier_rank"]],
  ["tw_run_rules_run", "tw_run_rules", ["run_id", "scheme_no", "rule_no"]],
  ["tw_events_run", "tw_events", ["run_id"]],
  ["tw_events_id", "tw_events", ["event_id"]],
  ["tw_event_deliveries_event", "tw_event_deliveries", ["event_id", "url"]],
  // Version 5, for `tierwise serve`: a page of customers by id.
  ["serve_customers_id", "customers", ["customer_id"]],
];
