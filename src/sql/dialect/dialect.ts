import type { ColumnType } from "../../model/index.js";
import type { DurationUnit } from "../../plan/expression.js";
import type { SqlFragment } from "../fragment.js";
import type { Query } from "../row.js";

/**
 * Everything that differs between SQL engines. Code outside the dialect
 * layer writes portable SQL through `sql```; where engines disagree it asks
 * the dialect. Code is handed the dialect object and calls its methods; it
 * never compares `name` (the registry, `dialects.ts`, maps names to dialects).
 */
export interface Dialect<Name extends string = string> {
  /** The engine's name as `--engine` takes it; for messages and the registry only, never compared. */
  readonly name: Name;
  /**
   * Whether only the process that opened the store can change it (a DuckDB
   * file is locked by its one writer); false when other processes may write
   * meanwhile (PostgreSQL), so nothing read earlier may be assumed current.
   */
  readonly oneWriterProcess: boolean;
  /** The stored SQL type of a model column type. */
  columnType(type: ColumnType): string;
  /** Text without surrounding spaces, NULL when nothing is left (cheap when there is nothing to trim). */
  trimmedOrNull(value: SqlFragment): SqlFragment;
  /** `value` (text) parsed as a decimal, or NULL when it is not one. */
  tryDecimal(value: SqlFragment): SqlFragment;
  /**
   * `value` (text) parsed as a timestamp and returned as UTC, or NULL. Text
   * with an offset honours it; text without one is in the session time zone,
   * which `sessionIsUtc` says is UTC (a faster path).
   */
  tryTimestampUtc(value: SqlFragment, sessionIsUtc: boolean): SqlFragment;
  /** `value` (text) parsed with strptime-style formats, local to the session zone, as UTC, or NULL. */
  tryTimestampFormatUtc(value: SqlFragment, formats: readonly string[], sessionIsUtc: boolean): SqlFragment;
  /** Whether `value` is valid JSON whose top level is an object. */
  isJsonObject(value: SqlFragment): SqlFragment;
  /** Whether a regular expression matches anywhere in `value`. */
  regexContains(value: SqlFragment, pattern: string): SqlFragment;
  /** POSIX regular-expression full match. */
  regexFullMatch(value: SqlFragment, pattern: string): SqlFragment;
  /** Replace every match of a regular expression. */
  regexReplaceAll(value: SqlFragment, pattern: string, replacement: string): SqlFragment;
  /**
   * A SELECT to use as a subquery whose columns are computed once per row:
   * PostgreSQL inlines a subquery and would recompute an expensive column
   * (a parsed timestamp) at every reference to it.
   */
  computedOnce(select: SqlFragment): SqlFragment;
  /** Whether the non-NULL `value` matches no non-NULL `column` of store table `table`. */
  absentFrom(value: SqlFragment, table: string, column: string): SqlFragment;
  /**
   * Statements that create a session-private table `name` from `definition`
   * (`AS SELECT …` or a column list), replacing one left from before.
   */
  createTempTable(name: string, definition: SqlFragment): SqlFragment[];
  /**
   * Compact JSON object text (`{"k":"v","n":null}`, keys in the given order)
   * of text values, escaped exactly as DuckDB's `json_object` does.
   */
  jsonObjectText(pairs: ReadonlyArray<readonly [key: string, value: SqlFragment]>): SqlFragment;
  /**
   * Why a strptime-style date format (from the mapping) cannot be used on this
   * engine, or null when it can.
   */
  dateFormatProblem(format: string): string | null;
  /** Set the session time zone used by the timestamp parsers. */
  setTimeZone(zone: string): SqlFragment;
  /** A query returning one row per known time-zone name, column `name`. */
  timeZoneNames(): Query<{ readonly name: string }>;
  /** `value` (text) compared and ordered byte by byte, whatever the database's collation. */
  byteOrder(value: SqlFragment): SqlFragment;
  /**
   * Indexes of the store's bookkeeping tables (snapshots, outbox), created if missing: PostgreSQL
   * needs them to read one run of a long history; DuckDB's zone maps do without (none).
   */
  storeIndexes(): SqlFragment[];
  /**
   * Statements that hold, until the transaction ends, a lock on each of these customers (ids in
   * any order; taken sorted, so two writers never wait for each other in a circle): two servers on
   * one PostgreSQL database then record and re-grade one customer's events one after the other
   * (advisory locks). DuckDB has one writing process, whose server queue already orders them: none.
   */
  lockEntities(ids: readonly string[]): SqlFragment[];
  /**
   * Statements that hold, until the transaction ends, the lock of the outbox's event ids: whoever
   * numbers new events (`max(event_id) + n`) takes it first, so two writers on one PostgreSQL
   * database never give two events one id. DuckDB: none (the server lets one job or request write
   * the outbox at a time; other processes cannot open the file).
   */
  lockOutbox(): SqlFragment[];
  /**
   * Refresh the planner's statistics of tables just written in bulk (within the transaction), so
   * that the next statements are planned for the rows now there (PostgreSQL: ANALYZE; DuckDB: none).
   */
  refreshStatistics(tables: readonly string[]): SqlFragment[];

  /** An ISO date text (bound parameter) as a date value. */
  dateLiteral(text: SqlFragment): SqlFragment;
  /** `date` moved forwards (`+`) or backwards (`-`) by `amount` calendar units. */
  shiftDate(date: SqlFragment, sign: "+" | "-", amount: SqlFragment, unit: DurationUnit): SqlFragment;
  /** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
  daysBetween(from: SqlFragment, to: SqlFragment): SqlFragment;
  /** Division as a fraction (never integer division); NULL when dividing by zero. */
  divide(left: SqlFragment, right: SqlFragment): SqlFragment;
  /** Aggregate: `value` of the row that sorts first by `order` (e.g. `at DESC, id DESC`) among rows matching `filter`. */
  latest(value: SqlFragment, order: SqlFragment, filter: SqlFragment): SqlFragment;
  /**
   * Aggregate: `value` (NULL too) of the row with the smallest `keys`, or the
   * largest when `descending`, among rows matching `filter`; the keys
   * (compared in order) are never NULL and unique within the group.
   */
  firstBy(value: SqlFragment, keys: readonly SqlFragment[], descending: boolean, filter: SqlFragment): SqlFragment;
  /** Whole-number division of two integers, rounded down for non-negative operands. */
  intDiv(left: SqlFragment, right: SqlFragment): SqlFragment;
  /** Aggregate: `value` of the row with the smallest `key` (keys unique within the group). */
  argMin(value: SqlFragment, key: SqlFragment): SqlFragment;
  /** A number rounded half away from zero, to `digits` decimals (an integer) or to a whole number. */
  round(value: SqlFragment, digits?: SqlFragment): SqlFragment;
}
