import type { SourceFormat } from "../engine/engine.js";

export interface RejectReason {
  readonly code: string;
  readonly field: string | null;
  readonly reason: string;
  readonly count: number;
}

/** What one table's file did to the store. `read = inserted + unchanged + updated + rejected`. */
export interface TableIngestResult {
  readonly table: string;
  readonly file: string;
  readonly format: SourceFormat;
  readonly read: number;
  readonly inserted: number;
  readonly unchanged: number;
  readonly updated: number;
  readonly rejected: number;
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

/** Accepted rows are new or unchanged ones: read = accepted + updated + rejected. */
export function accepted(t: TableIngestResult): number {
  return t.inserted + t.unchanged;
}
