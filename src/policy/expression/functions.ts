import type { ValueType } from "../../plan/expression.js";

// The functions an expression may call: scalar functions with their signatures, and the row aggregates of grouped mapping tables.

/** Aggregates over the rows of a group in a grouped mapping table, in file order where order matters. */
export const ROW_AGGREGATES: Readonly<Record<string, string>> = {
  sum: "the sum of the values (read as numbers)",
  min: "the smallest value",
  max: "the largest value",
  count: "the number of rows with a value",
  first: "the first value in file order (empty ones skipped)",
  last: "the last value in file order (empty ones skipped)",
  most_frequent: "the most frequent value (ties: the one first in the file)",
};

export type Signature = (args: readonly ValueType[]) => ValueType | string;

/** The types with an order (comparable with < and by least/greatest). */
export const ORDERED: ReadonlySet<ValueType> = new Set(["number", "date", "text"]);
const sameType =
  (allowed: ReadonlySet<ValueType> | null): Signature =>
  (args) => {
    const first = args[0] as ValueType;
    if (allowed && !allowed.has(first)) return `takes numbers, dates or text, not ${first}`;
    const other = args.find((a) => a !== first);
    return other === undefined ? first : `needs arguments of one type, got ${first} and ${other}`;
  };
const fixed =
  (params: readonly ValueType[], result: ValueType): Signature =>
  (args) => {
    const i = args.findIndex((a, k) => a !== params[Math.min(k, params.length - 1)]);
    return i < 0 ? result : `argument ${i + 1} must be ${params[Math.min(i, params.length - 1)]}, not ${args[i]}`;
  };

/** Scalar functions: arity bounds and a signature returning the result type or a complaint. */
export const FUNCTIONS: Readonly<Record<string, { min: number; max: number; sig: Signature }>> = {
  abs: { min: 1, max: 1, sig: fixed(["number"], "number") },
  round: { min: 1, max: 2, sig: fixed(["number", "number"], "number") },
  least: { min: 2, max: 32, sig: sameType(ORDERED) },
  greatest: { min: 2, max: 32, sig: sameType(ORDERED) },
  coalesce: { min: 2, max: 32, sig: sameType(new Set(["number", "date", "text", "boolean"])) },
  days_between: { min: 2, max: 2, sig: fixed(["date", "date"], "number") },
  starts_with: { min: 2, max: 2, sig: fixed(["text", "text"], "boolean") },
};
