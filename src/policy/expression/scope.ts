import type { ColumnType, TableDef } from "../../model/index.js";
import { TABLES } from "../../model/index.js";
import type { ValueType } from "../../plan/expression.js";

// What an expression may name: the scopes the checker judges names against.

/** What an expression may name. */
export interface Scope {
  /** Metrics by name, with the type of their value. */
  readonly metrics: ReadonlyMap<string, ValueType>;
  /** The tables of the data model (columns are looked up here). */
  readonly tables: readonly TableDef[];
  /**
   * The table whose row is being judged (e.g. `customers` for a population
   * condition): its columns may be named bare or as `table.column` outside
   * aggregates. Without it only metrics and aggregates reach data.
   */
  readonly rowTable?: string;
  /**
   * Parameterised metrics called like functions: `spend(12 months)`,
   * `percentile_rank(spend(24 months))`.
   */
  readonly metricFunctions?: ReadonlyMap<string, MetricSignature>;
  /** Names usable everywhere, also inside an aggregate's filter (e.g. `as_of`). */
  readonly parameters?: ReadonlyMap<string, ValueType>;
  /**
   * The header of a file being ingested (mapping expressions): bare names are
   * its columns. A source column is text; where a number is needed
   * (arithmetic, a comparison with a number) it is read as one.
   */
  readonly sourceColumns?: readonly string[];
  /** The file's rows are grouped (`group_by:`): the row aggregates `ROW_AGGREGATES` may be used. */
  readonly grouped?: boolean;
}

/** A scope over the columns of a source file, for mapping expressions. */
export function sourceScope(columns: readonly string[], grouped = false): Scope {
  return { metrics: new Map(), tables: [], sourceColumns: columns, grouped };
}

/** A parameter of a metric function: a window (`12 months`, `lifetime`), a horizon ahead (`90 days`) or a number expression. */
export type MetricParam = "window" | "horizon" | "number";

export interface MetricSignature {
  readonly params: readonly MetricParam[];
  readonly result: ValueType;
  /** A metric that may not be nested in itself (percentile ranks are computed over the population). */
  readonly noNesting?: boolean;
}

/** A scope over the canonical data model. */
export function modelScope(metrics: Readonly<Record<string, ValueType>>, rowTable?: string): Scope {
  const base = { metrics: new Map(Object.entries(metrics)), tables: TABLES };
  return rowTable === undefined ? base : { ...base, rowTable };
}

/** The expression type of a model column; json columns cannot be used. */
export function columnValueType(type: ColumnType): ValueType | undefined {
  if (type === "json") return undefined;
  if (type === "timestamp") return "date";
  return type === "money" || type === "number" || type === "integer" ? "number" : "text";
}
