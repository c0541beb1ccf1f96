import { InternalError } from "../../errors/index.js";
import { integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { strptimeDirectiveProblem } from "./strptime-directives.js";

/**
 * strptime-style date formats (the mapping's `date_format`) on PostgreSQL,
 * which has no strptime: each format becomes an anchored regular expression
 * whose captures are range-checked and assembled into ISO text, and the text
 * is cast only where `pg_input_is_valid` says it is a real timestamp. The
 * result is what DuckDB's `try_strptime` gives:
 *
 * - numbers are read greedily up to their width (`%Y` 4 digits, `%d` 2 …)
 *   and never backtracked, so `%Y%m%d` reads `2024015` as 2024-01-05;
 * - a space in the format matches a run of whitespace; leading and trailing
 *   whitespace are ignored; other characters match themselves;
 * - `%b`/`%B` (and `%a`/`%A`, checked but unused) are English names in any case;
 * - several formats are tried in order, the first that gives a real date wins;
 * - `infinity`, `-infinity` and `epoch` give 1900-01-01 (DuckDB's quirk).
 *
 * Supported: `%Y %y %m %d %H %I %p %M %S %f %g %j %b %h %B %a %A %z %%` and
 * the `%-x` forms of the numbers. Others (`%Z`, `%c`, `%x`, week numbers,
 * nanoseconds) are refused by `strptimeProblem` before any SQL is built.
 */

type Field = "year" | "year2" | "month" | "monthName" | "day" | "hour" | "hour12" | "ampm" | "minute" | "second";

interface Capture {
  readonly field: Field | "fraction" | "yearDay" | "offset";
  /** 1-based index into the regexp_match array (the offset uses three). */
  readonly index: number;
  /** For month names: the list they index. */
  readonly names?: readonly string[];
}

interface CompiledFormat {
  readonly pattern: string;
  readonly captures: readonly Capture[];
  readonly zoned: boolean;
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTHS_SHORT = MONTHS.map((m) => m.slice(0, 3));
const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const DAYS_SHORT = DAYS.map((d) => d.slice(0, 3));

/** DuckDB's whitespace (StringUtil::CharacterIsSpace). */
const SPACE_CLASS = "[ \\t\\n\\v\\f\\r]";

const NUMBERS: Readonly<Record<string, { field: Field | "fraction" | "yearDay"; width: number }>> = {
  Y: { field: "year", width: 4 },
  y: { field: "year2", width: 2 },
  m: { field: "month", width: 2 },
  d: { field: "day", width: 2 },
  H: { field: "hour", width: 2 },
  I: { field: "hour12", width: 2 },
  M: { field: "minute", width: 2 },
  S: { field: "second", width: 2 },
  j: { field: "yearDay", width: 3 },
  f: { field: "fraction", width: 6 },
  g: { field: "fraction", width: 3 },
};

const NAMED = new Set(["b", "h", "B", "a", "A", "p", "z", "%"]);

/** Why `format` cannot be used on PostgreSQL, or null. */
export function strptimeProblem(format: string): string | null {
  return strptimeDirectiveProblem(
    format,
    (d) => d in NUMBERS || NAMED.has(d),
    (d) => `%${d} is not supported on PostgreSQL (supported: %Y %y %m %d %H %I %p %M %S %f %g %j %b %B %a %A %z %%)`,
  );
}

/** Case-insensitive alternation of names, e.g. `[Jj][Aa][Nn]|…`. */
function names(list: readonly string[]): string {
  return list.map((n) => [...n].map((c) => `[${c.toUpperCase()}${c}]`).join("")).join("|");
}

function literal(ch: string): string {
  return /[A-Za-z0-9]/.test(ch) || ch.charCodeAt(0) > 127 ? ch : `\\${ch}`;
}

function compile(format: string): CompiledFormat {
  let pattern = `^${SPACE_CLASS}*`;
  const captures: Capture[] = [];
  let groups = 0;
  let zoned = false;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i] as string;
    if (/[ \t\n\v\f\r]/.test(ch)) {
      while (i + 1 < format.length && /[ \t\n\v\f\r]/.test(format[i + 1] as string)) i++;
      pattern += `${SPACE_CLASS}+`;
      continue;
    }
    if (ch !== "%") {
      pattern += literal(ch);
      continue;
    }
    let d = format[++i] as string;
    if (d === "-") d = format[++i] as string;
    const number = NUMBERS[d];
    if (number) {
      const w = number.width;
      // Greedy without backtracking: all `w` digits, or fewer when no digit follows.
      pattern += w === 1 ? "([0-9])" : `([0-9]{${w}}|[0-9]{1,${w - 1}}(?![0-9]))`;
      captures.push({ field: number.field, index: ++groups });
      continue;
    }
    switch (d) {
      case "b":
      case "h":
        pattern += `(${names(MONTHS_SHORT)})`;
        captures.push({ field: "monthName", index: ++groups, names: MONTHS_SHORT });
        break;
      case "B":
        pattern += `(${names(MONTHS)})`;
        captures.push({ field: "monthName", index: ++groups, names: MONTHS });
        break;
      case "a":
        pattern += `(?:${names(DAYS_SHORT)})`;
        break;
      case "A":
        pattern += `(?:${names(DAYS)})`;
        break;
      case "p":
        pattern += "([AaPp][Mm])";
        captures.push({ field: "ampm", index: ++groups });
        break;
      case "z":
        // +HH, +HHMM or +HH:MM (a colon without minutes is consumed, as in DuckDB).
        pattern += "([+-])([0-9]{2})(?::?([0-9]{2})|:)?";
        captures.push({ field: "offset", index: groups + 1 });
        groups += 3;
        zoned = true;
        break;
      case "%":
        pattern += "%";
        break;
      default:
        throw new InternalError(`unchecked strptime directive %${d}`);
    }
  }
  return { pattern: `${pattern}${SPACE_CLASS}*$`, captures, zoned };
}

/** Whether any of the formats carries a UTC offset (`%z`): then every result is an instant. */
export function strptimeZoned(formats: readonly string[]): boolean {
  return formats.some((f) => compile(f).zoned);
}

const num = (m: SqlFragment, i: number) => sql`CAST(${m}[${integer(i)}] AS INTEGER)`;

/** A naive timestamp read in the session's zone, as UTC wall time. */
function local(naive: SqlFragment, sessionIsUtc: boolean): SqlFragment {
  return sessionIsUtc ? naive : sql`(CAST(${naive} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`;
}

/**
 * One format as UTC wall time: with `%z` the offset is removed, without it
 * the text is local to the session's zone. NULL when the text does not match
 * or is no real date.
 */
function oneFormat(value: SqlFragment, format: string, sessionIsUtc: boolean): SqlFragment {
  const { pattern, captures } = compile(format);
  const m = raw("m");
  const last = (field: Capture["field"]) => [...captures].reverse().find((c) => c.field === field);
  const checks: SqlFragment[] = [];
  const range = (c: Capture | undefined, lo: number, hi: number) => {
    if (c) checks.push(sql`${num(m, c.index)} BETWEEN ${integer(lo)} AND ${integer(hi)}`);
  };
  for (const c of captures) {
    if (c.field === "year2") range(c, 0, 99);
    if (c.field === "month") range(c, 1, 12);
    if (c.field === "day") range(c, 1, 31);
    if (c.field === "hour") range(c, 0, 23);
    if (c.field === "hour12") range(c, 1, 12);
    if (c.field === "minute" || c.field === "second") range(c, 0, 59);
    if (c.field === "yearDay") range(c, 1, 366);
  }

  // Later directives override earlier ones, as in DuckDB's parser.
  const yearCapture = [...captures].reverse().find((c) => c.field === "year" || c.field === "year2");
  let year: SqlFragment = integer(1900);
  if (yearCapture?.field === "year") {
    // Year 0 is valid in DuckDB (and before 1900); 400 has the same leap rule and is valid here.
    year = sql`CASE WHEN ${num(m, yearCapture.index)} = 0 THEN 400 ELSE ${num(m, yearCapture.index)} END`;
  } else if (yearCapture) {
    const y = num(m, yearCapture.index);
    year = sql`(CASE WHEN ${y} >= 69 THEN 1900 ELSE 2000 END + ${y})`;
  }
  const monthCapture = [...captures].reverse().find((c) => c.field === "month" || c.field === "monthName");
  let month: SqlFragment = integer(1);
  if (monthCapture?.field === "month") month = num(m, monthCapture.index);
  else if (monthCapture) {
    month = sql`array_position(${[...(monthCapture.names ?? [])]}::TEXT[], lower(${m}[${integer(monthCapture.index)}]))`;
  }
  const dayCapture = last("day");
  const day = dayCapture ? num(m, dayCapture.index) : integer(1);
  const yearDay = last("yearDay");
  const date =
    yearDay && !monthCapture && !dayCapture
      ? sql`to_char(make_date(${year}, 1, 1) + (${num(m, yearDay.index)} - 1), 'YYYY-MM-DD')`
      : sql`lpad(CAST(${year} AS TEXT), 4, '0') || '-' || lpad(CAST(${month} AS TEXT), 2, '0') || '-' || lpad(CAST(${day} AS TEXT), 2, '0')`;

  const hourCapture = [...captures].reverse().find((c) => c.field === "hour" || c.field === "hour12");
  let hour: SqlFragment = hourCapture ? num(m, hourCapture.index) : integer(0);
  const ampm = last("ampm");
  if (ampm) {
    const h = hour;
    checks.push(sql`${h} <= 12`);
    const pm = sql`lower(${m}[${integer(ampm.index)}]) = 'pm'`;
    hour = sql`CASE WHEN ${pm} THEN (CASE WHEN ${h} = 12 THEN 12 ELSE ${h} + 12 END) ELSE (CASE WHEN ${h} = 12 THEN 0 ELSE ${h} END) END`;
  }
  const minute = last("minute");
  const second = last("second");
  const fraction = last("fraction");
  const two = (v: SqlFragment) => sql`lpad(CAST(${v} AS TEXT), 2, '0')`;
  const time = sql`${two(hour)} || ':' || ${two(minute ? num(m, minute.index) : integer(0))} || ':' || ${two(
    second ? num(m, second.index) : integer(0),
  )}${fraction ? sql` || '.' || rpad(${m}[${integer(fraction.index)}], 6, '0')` : raw("")}`;
  const iso = sql`${date} || ' ' || ${time}`;

  const ok = checks.length > 0 ? join(checks, " AND ") : raw("true");
  // The cast is outside the CASE: PostgreSQL folds a cast of a constant even in a branch not taken.
  const naive = sql`CAST(CASE WHEN ${ok} AND pg_input_is_valid(iso, 'timestamp') THEN iso END AS TIMESTAMP)`;
  const offset = last("offset");
  let result = local(naive, sessionIsUtc);
  if (offset) {
    const i = offset.index;
    const minutes = sql`(CASE WHEN ${m}[${integer(i)}] = '-' THEN -1 ELSE 1 END * (${num(m, i + 1)} * 60 + coalesce(${num(m, i + 2)}, 0)))`;
    result = sql`(${naive} - make_interval(mins => ${minutes}))`;
  }
  return sql`(SELECT ${result} FROM (SELECT m, ${iso} AS iso FROM (SELECT regexp_match(${value}, ${pattern}) AS m) r) x)`;
}

/**
 * `value` parsed with the first of `formats` that gives a real date, as UTC
 * wall time: text with an offset (`%z`) honours it, text without one is
 * local to the session's zone (UTC when `sessionIsUtc`).
 */
export function strptimeSql(value: SqlFragment, formats: readonly string[], sessionIsUtc: boolean): SqlFragment {
  // DuckDB's special words: an instant when some format has %z, else a local 1900-01-01.
  const special = strptimeZoned(formats)
    ? sql`CASE lower(btrim(${value}, ${" \t\n\v\f\r"})) WHEN 'epoch' THEN TIMESTAMP '1970-01-01' WHEN 'infinity' THEN TIMESTAMP 'infinity' ELSE TIMESTAMP '-infinity' END`
    : local(raw("TIMESTAMP '1900-01-01'"), sessionIsUtc);
  const parsed = join(
    formats.map((f) => oneFormat(value, f, sessionIsUtc)),
    ", ",
  );
  return sql`CASE WHEN lower(btrim(${value}, ${" \t\n\v\f\r"})) IN ('infinity', '-infinity', 'epoch') THEN ${special} ELSE coalesce(${parsed}) END`;
}
