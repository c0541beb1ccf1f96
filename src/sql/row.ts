import { InternalError } from "../errors/index.js";
import type { SqlFragment } from "./fragment.js";

/**
 * A query's rows are typed where the SELECT is written: `select(shape, sql…)`
 * pairs the statement with one decoder per result column, and the engine
 * decodes every row through it. Renaming a column in the SQL then fails
 * loudly at the first row (a missing column is an InternalError naming it),
 * never as a silent `NaN`; the TypeScript side reads `row.revenue` as a
 * `number` because the shape says so.
 *
 * Drivers disagree on representations (DuckDB's JSON rows and pg both return
 * BIGINT and DECIMAL as strings, dates as text; small integers and doubles
 * as numbers), so decoders accept each representation of their type and
 * nothing else.
 */

/** Turns the value a driver returned for one column into its TypeScript value. */
export type Decoder<T> = (value: unknown, column: string) => T;

/** One decoder per result column, by the column's name. */
export type RowShape = Readonly<Record<string, Decoder<unknown>>>;

/** The decoded row of a shape. */
export type RowOf<S extends RowShape> = { readonly [K in keyof S]: S[K] extends Decoder<infer T> ? T : never };

/** A statement whose result rows have a known type. */
export class Query<Row> {
  constructor(
    readonly statement: SqlFragment,
    /** Decodes one raw row; throws InternalError when it does not fit. */
    readonly decode: (raw: Readonly<Record<string, unknown>>) => Row,
  ) {}
}

/** A statement with a declared shape: every row is decoded column by column. */
export function select<const S extends RowShape>(shape: S, statement: SqlFragment): Query<RowOf<S>> {
  const columns = Object.entries(shape);
  return new Query(statement, (raw) => {
    const row: Record<string, unknown> = {};
    for (const [column, decode] of columns) {
      if (!(column in raw)) throw new InternalError(`query result has no column "${column}"`);
      row[column] = decode(raw[column], column);
    }
    return row as RowOf<S>;
  });
}

/**
 * A statement whose columns are only known at run time (one per scheme, per
 * mapped field…). Its rows are plain records: read them with `row[name]`
 * and decode each value with the decoders below.
 */
export function records(statement: SqlFragment): Query<Readonly<Record<string, unknown>>> {
  return new Query(statement, (raw) => raw);
}

function mismatch(column: string, expected: string, value: unknown): InternalError {
  const got = value === null ? "null" : value === undefined ? "nothing" : typeof value;
  return new InternalError(`query column "${column}" should be ${expected} but is ${got}`);
}

/** A text value (numbers a driver returned for a text-like column become their decimal text). */
const text: Decoder<string> = (value, column) => {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  throw mismatch(column, "text", value);
};

/** A number: doubles as numbers, BIGINT and DECIMAL as their exact text. */
const number: Decoder<number> = (value, column) => {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    if (!Number.isNaN(n) || value === "NaN") return n;
  }
  throw mismatch(column, "a number", value);
};

/** A whole number within JavaScript's safe range (counts, ids, days). */
const integer: Decoder<number> = (value, column) => {
  const n = number(value, column);
  if (!Number.isSafeInteger(n)) throw mismatch(column, "a whole number", value);
  return n;
};

/** A money amount or any decimal quantity, as a number (the engines hold the exact decimal). */
const amount: Decoder<number> = number;

/** A calendar date as `YYYY-MM-DD` text (both engines return dates as text). */
const date: Decoder<string> = (value, column) => {
  if (typeof value === "string") return value;
  throw mismatch(column, "a date", value);
};

/** A timestamp as the engine's text. */
const timestamp: Decoder<string> = date;

const boolean: Decoder<boolean> = (value, column) => {
  if (typeof value === "boolean") return value;
  throw mismatch(column, "true or false", value);
};

/** A list of values, each decoded by `item`. */
function list<T>(item: Decoder<T>): Decoder<readonly T[]> {
  return (value, column) => {
    if (!Array.isArray(value)) throw mismatch(column, "a list", value);
    return value.map((v) => item(v, column));
  };
}

/** A value that may be SQL NULL. */
function nullable<T>(decode: Decoder<T>): Decoder<T | null> {
  return (value, column) => (value === null ? null : decode(value, column));
}

/** A value passed through as the driver returned it (JSON documents, structs). */
const unknown: Decoder<unknown> = (value) => value;

/**
 * The column decoders, used as `select({ n: col.integer, name: col.text }, sql\`…\`)`.
 * A few shared decoders, so that every number, amount, date and text is read
 * one way on both engines.
 */
export const col = { text, number, integer, amount, date, timestamp, boolean, list, nullable, unknown } as const;
