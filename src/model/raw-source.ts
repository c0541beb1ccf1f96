/**
 * A source file as the readers see it: its format and reader options, and
 * the columns a reader found in it. Plain data shared by the ingest plan,
 * the SQL of the readers (`sql/dialect/duckdb-reader.ts`) and the engines
 * that load the file, so it lives below all of them.
 */

/** The formats Tierwise reads. */
export type SourceFormat = "csv" | "ndjson" | "json" | "parquet";

/** A file to bulk-load, with the reader options the user gave or that were detected. */
export interface RawSource {
  readonly path: string;
  readonly format: SourceFormat;
  /** CSV only: field delimiter (`,` when absent). */
  readonly delimiter?: string;
  /** CSV only: quote character (`"` when absent); a quote inside a quoted field is doubled. */
  readonly quote?: string;
  /** CSV only: text encoding, `utf-8` unless given. */
  readonly encoding?: "utf-8" | "utf-16" | "latin-1";
}

export interface SourceColumn {
  readonly name: string;
  /** The engine's type for the column as read (text for CSV). */
  readonly type: string;
}
