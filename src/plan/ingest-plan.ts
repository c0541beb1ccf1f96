import type { RejectCode } from "../errors/index.js";
import type { ColumnDef, RawSource, SourceColumn, TableDef } from "../model/index.js";
import type { CheckedExpression } from "./expression.js";

/**
 * The checked, plain-data plan of one ingest: what each canonical column is
 * read from and how. The SQL compiler turns it into statements; tests can
 * print it without a database.
 */

/** Where a canonical column's value comes from. */
export type ColumnSourcePlan =
  | { readonly kind: "source"; readonly index: number; readonly name: string }
  | { readonly kind: "constant"; readonly value: string }
  /** `compute:` an expression over the file's columns; its result (as text) is validated like a read value. */
  | { readonly kind: "computed"; readonly expression: CheckedExpression; readonly numberSources: readonly SourceRef[] }
  | { readonly kind: "absent" };

/** A column of the source file (0-based index and its header name). */
export interface SourceRef {
  readonly index: number;
  readonly name: string;
}

/** A named row filter of the mapping (`skip:`): rows where it is true are skipped and counted under its name. */
export interface SkipPlan {
  readonly name: string;
  readonly condition: CheckedExpression;
  readonly numberSources: readonly SourceRef[];
}

export interface ColumnPlan {
  readonly column: ColumnDef;
  readonly source: ColumnSourcePlan;
  /** Source value → canonical value, applied before validation. */
  readonly valueMap: Readonly<Record<string, string>>;
  /** strptime formats for timestamps; empty means ISO 8601. */
  readonly dateFormats: readonly string[];
}

export type DecimalMark = "." | ",";

export interface TablePlan {
  readonly table: TableDef;
  /** The file as the user named it (for messages and rejects). */
  readonly file: string;
  readonly source: RawSource;
  readonly sourceColumns: readonly SourceColumn[];
  readonly columns: readonly ColumnPlan[];
  /** Decimal mark of numbers in text; `auto` is resolved from the data before validation. */
  readonly decimalMark: DecimalMark | "auto";
  /** Source columns that no canonical column reads. */
  readonly ignoredColumns: readonly string[];
  /** Row filters in mapping order; a row is counted under the first that holds. */
  readonly skips: readonly SkipPlan[];
  /**
   * `group_by:` source columns: one canonical row per group of the file's
   * (kept) rows; empty for a table read row by row.
   */
  readonly groupBy: readonly SourceRef[];
  /**
   * Derived from another table's file (`from:`): a store row is updated only
   * in the columns the mapping derives, and `created_at` only moves earlier.
   */
  readonly derived: boolean;
}

/** One row-level check compiled into the validation SQL. */
export interface CheckDef {
  readonly id: number;
  readonly code: RejectCode;
  /** Canonical column the check is about, if any. */
  readonly column: string | null;
  /** 0-based index of the source column, for the reject's location. */
  readonly sourceIndex: number | null;
  /** The readable reason, free of customer data. */
  readonly reason: string;
}

export interface IngestPlan {
  readonly tables: readonly TablePlan[];
  /** IANA zone for timestamps written without an offset. */
  readonly timeZone: string;
}
