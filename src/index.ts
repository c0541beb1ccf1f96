/**
 * The Tierwise library API.
 *
 * @example
 * import { openStore, ingestDirectory, summariseStore } from "tierwise";
 * const store = await openStore("shop.duckdb");
 * const result = await ingestDirectory(store, { dir: "./exports", rejectsPath: "shop.rejects.csv" });
 * console.log(result.tables, await summariseStore(store));
 * await store.close();
 */
export { DuckDbEngine, type DuckDbOptions } from "./engine/duckdb-engine.js";
export type { Engine, RawSource, Row, SourceColumn, SourceFormat } from "./engine/engine.js";
export {
  ERROR_CODES,
  type ErrorCode,
  REJECT_CODES,
  type RejectCode,
  type SourceLocation,
  TierwiseError,
  TierwiseErrors,
} from "./errors/index.js";
export { type GenerateOptions, type GenerateSummary, generateDataset } from "./generate/index.js";
export { type IngestOptions, ingestDirectory } from "./ingest/ingest.js";
export { loadMapping, type Mapping, parseMapping } from "./ingest/mapping.js";
export type { IngestProgress, IngestResult, RejectReason, TableIngestResult } from "./ingest/result.js";
export { type ColumnDef, type ColumnType, TABLES, type TableDef, type TableName } from "./model/index.js";
export { DEFAULT_STORE, openStore, rejectsPathFor, type StoreSummary, summariseStore } from "./store/index.js";
