import type { RawSource, SourceColumn } from "../model/index.js";
import type { Dialect, Query, SqlFragment } from "../sql/index.js";

/** A row of a `records()` query (columns known only at run time): read with `row[name]` and decode each value. */
export type Row = Record<string, unknown>;

// The source file types live in the model (below sql/, which reads them too); re-exported for the engines.
export type { RawSource, SourceColumn, SourceFormat } from "../model/index.js";

/** A reader-level problem: a row the engine's file reader could not parse. */
export interface ReaderReject {
  readonly line: number | null;
  readonly column: number | null;
  readonly kind: string;
  readonly text: string | null;
}

export interface RawLoad {
  /** Rows the reader parsed and staged. */
  readonly rows: number;
  /** Lines the reader could not parse (also counted as read). */
  readonly rejects: readonly ReaderReject[];
}

/**
 * The seam between Tierwise and a SQL engine. DuckDB is the embedded
 * default; PostgreSQL implements the same interface.
 */
export interface Engine {
  readonly dialect: Dialect;
  /** Run one statement, or several in order, and discard the results. */
  exec(statement: SqlFragment | readonly SqlFragment[]): Promise<void>;
  /**
   * Run a query and return its (small) result, each row decoded by the
   * query's shape (`select(shape, sql…)` in src/sql/row.ts).
   */
  query<R>(query: Query<R>): Promise<R[]>;
  /**
   * The columns of a self-describing file (JSON, Parquet) as the engine's
   * reader sees them. Throws when the file cannot be read. CSV headers are
   * read by Tierwise itself, so that no sniffer guesses the dialect.
   */
  describeSource(source: RawSource): Promise<SourceColumn[]>;
  /**
   * Bulk-load a file into a new temporary table `table` whose columns are
   * `c1…cN` (text, one per source column in order) and `__rec` (1-based
   * record number in the file among parsed rows).
   */
  loadRaw(table: string, source: RawSource, columns: readonly SourceColumn[]): Promise<RawLoad>;
  /**
   * Write the result of `query` to a CSV file at `path` on the machine
   * running Tierwise (a header line, `,` between fields, `"` quotes where
   * DuckDB's writer puts them), streaming. The query must have no bound
   * parameters (PostgreSQL's COPY takes none). Ingest writes the rejects
   * file with it.
   */
  exportCsv(query: SqlFragment, path: string): Promise<void>;
  /**
   * While a listener is set, long statements report their progress as a
   * fraction from 0 to 1 (polled a few times a second). `null` stops it.
   */
  watchProgress(listener: ((fraction: number) => void) | null): void;
  /** Run `work` in one transaction: all of it is committed, or none of it. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Another connection to the same store, with its own transactions and
   * temporary tables (the server runs background jobs on one while it
   * answers reads on the first). Closing it closes only that connection.
   */
  connect(): Promise<Engine>;
  close(): Promise<void>;
}
