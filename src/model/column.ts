/**
 * Plain types that describe the canonical data model. They hold no behaviour
 * so that every later stage (ingest, metrics, SQL) can import them without
 * pulling in anything else.
 */

/** The logical type of a column; each maps to one SQL type per dialect. */
export type ColumnType =
  | "id" // text identifier; leading zeros and any script survive
  | "text"
  | "timestamp" // stored as a UTC timestamp without zone
  | "money" // exact decimal, 4 fractional digits
  | "integer"
  | "number" // exact decimal, e.g. a quantity of 2.5 kg
  | "enum"
  | "json";

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** The file must have the column and every row must carry a value. */
  readonly required: boolean;
  /** Value stored when the column is absent or the cell is empty. */
  readonly default?: string;
  readonly enumValues?: readonly string[];
  /** Smallest and largest accepted value for numeric columns. */
  readonly min?: number;
  readonly max?: number;
  /**
   * Money that is negative exactly on credit notes (orders.amount): a value
   * below 0 is accepted where the row's `kind` is `credit` or empty (empty
   * then reads as credit) and rejected as NEGATIVE where it is `order`; on a
   * credit a positive value is stored negated.
   */
  readonly negativeOnCredit?: boolean;
  /** Another table whose key this column must match. */
  readonly references?: { readonly table: TableName; readonly column: string; readonly optional: boolean };
  readonly description: string;
  readonly example: string;
}

export type TableName =
  | "reps"
  | "products"
  | "customers"
  | "orders"
  | "order_lines"
  | "invoices"
  | "interactions"
  | "leads";

export interface TableDef {
  readonly name: TableName;
  readonly description: string;
  /** Only customers and orders must be present for a useful store. */
  readonly requiredTable: boolean;
  /** The natural key: re-ingesting a row with the same key updates it. */
  readonly key: readonly string[];
  readonly columns: readonly ColumnDef[];
}
