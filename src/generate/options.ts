import type { TableName } from "../model/index.js";
import type { SimulatedBuying, SimulatedSpend } from "../sql/generate/index.js";

export type { SimulatedBuying, SimulatedSpend };

/** What to generate and where. */
export interface GenerateOptions {
  /** Directory the files are written to; created when missing. Existing files of the same names are replaced. */
  readonly outDir: string;
  /** Number of customers (orders, lines and the rest scale with it). */
  readonly customers: number;
  /** Seed of every random draw; the same seed and asOf give byte-identical files. Default 1. */
  readonly seed?: number;
  /** File format of every table. Default `csv`. */
  readonly format?: "csv" | "parquet";
  /** The date (YYYY-MM-DD) the data ends before: nothing happens on or after it. Default: today (UTC). */
  readonly asOf?: string;
  /**
   * Simulate buyers' repeat orders from known BG/NBD parameters (for testing
   * CLV models against a known truth): who buys and when they first buy stay
   * as generated; repeat order times follow the model; every order is
   * completed. Default: the built-in behaviour.
   */
  readonly buying?: SimulatedBuying;
  /** With `buying`: order values from known Gamma-Gamma parameters, without discounts. */
  readonly spend?: SimulatedSpend;
  /** DuckDB worker threads; the output does not depend on it. Default: all cores. */
  readonly threads?: number;
  /**
   * Called when a step starts (`done` steps of `total` are finished) and once
   * more at the end with `step` = `"done"` and `done` = `total`.
   */
  readonly onProgress?: (step: string, done: number, total: number) => void;
}

/** What was written. */
export interface GenerateSummary {
  readonly outDir: string;
  readonly format: "csv" | "parquet";
  readonly seed: number;
  readonly asOf: string;
  /** Rows written per table. */
  readonly rows: Readonly<Record<TableName, number>>;
  /** Absolute paths of the files written, one per table, in load order. */
  readonly files: readonly string[];
  readonly elapsedMs: number;
}
