import type { SourceFormat } from "../engine/engine.js";

export interface RejectReason {
  readonly code: string;
  readonly field: string | null;
  readonly reason: string;
  readonly count: number;
}

/** Rows one skip filter of the mapping left out. */
export interface SkipCount {
  readonly name: string;
  readonly count: number;
}

/** What one table's file did to the store. `read = inserted + unchanged + updated + rejected + skipped`. */
export interface TableIngestResult {
  readonly table: string;
  readonly file: string;
  readonly format: SourceFormat;
  /** Rows read; for a grouped table (`group_by:`) the groups built plus the rows skipped before grouping. */
  readonly read: number;
  /** Only for a grouped table: the groups built from its file's kept rows. */
  readonly groups?: number;
  /** Only for a grouped table: the rows of its file (every line, grouped, skipped or malformed). */
  readonly sourceRows?: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly updated: number;
  readonly rejected: number;
  /** Rows left out by the mapping's skip filters (never rejects); per filter in `skips`. */
  readonly skipped: number;
  readonly skips: readonly SkipCount[];
  readonly decimalMark: "." | ",";
  readonly ignoredColumns: readonly string[];
  readonly reasons: readonly RejectReason[];
}

export interface IngestResult {
  readonly tables: readonly TableIngestResult[];
  readonly rejectsPath: string;
  readonly timeZone: string;
}

export interface IngestProgress {
  readonly table: string;
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

/** Accepted rows are new or unchanged ones: read = accepted + updated + rejected + skipped. */
export function accepted(t: TableIngestResult): number {
  return t.inserted + t.unchanged;
}
