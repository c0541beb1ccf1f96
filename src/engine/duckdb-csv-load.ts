import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { TierwiseError } from "../errors/index.js";
import {
  countRowsSql,
  emptyRejectsSql,
  loadCleanRejectsSql,
  readerRejectsSql,
  stageCleanCsvSql,
  stageSourceSql,
} from "../sql/dialect/duckdb-reader.js";
import type { Query, SqlFragment } from "../sql/index.js";
import { type CsvRecordCount, countCsvRecords } from "./csv-record-count.js";
import type { RawLoad, RawSource, ReaderReject, SourceColumn } from "./engine.js";
import { readerRejectsCsv, scanCsv } from "./scanned-csv.js";

/**
 * How the DuckDB engine stages a CSV file: DuckDB's `read_csv` is the fast
 * path, verified against an independent count of the file's records
 * (`csv-record-count.ts`, read at the same time). When the reader throws
 * ("Invalid Input Error": a line-ending mix or a structural byte its state
 * machine cannot take), when its parsed rows plus rejected lines fall short
 * of the count (a record it dropped without a word), or when the file holds
 * a NUL byte, the file is staged again through the pre-pass PostgreSQL uses
 * (`scanned-csv.ts`), which reads any mix of line endings and turns every
 * record it cannot parse into one reject with its line. See
 * docs/decisions.md.
 */

/** What `loadCsv` needs of the engine. */
export interface CsvLoadHost {
  exec(statement: SqlFragment | readonly SqlFragment[]): Promise<void>;
  query<R>(query: Query<R>): Promise<R[]>;
  readonly progress: ((fraction: number) => void) | null;
}

/** Errors of DuckDB's CSV reader that the pre-pass can read past. */
function isReaderError(error: unknown): boolean {
  return error instanceof Error && /^Invalid Input Error\b/.test(error.message);
}

/** A failure to read the file for the count (a damaged gzip stream, an unreadable file) names the file. */
function unreadable(source: RawSource, error: Error): Error {
  if (error instanceof TierwiseError) return error;
  return new TierwiseError("UNREADABLE_FILE", {
    file: basename(source.path),
    format: /\.gz$/i.test(source.path) ? "gzip'd CSV" : "CSV",
    detail: error.message,
  });
}

export async function loadCsv(
  host: CsvLoadHost,
  table: string,
  source: RawSource,
  columns: readonly SourceColumn[],
): Promise<RawLoad> {
  // Count while DuckDB reads; a failed count is reported only if the fast path needs it.
  const counting: Promise<CsvRecordCount | Error> = countCsvRecords(source, columns.length).catch((e: unknown) =>
    e instanceof Error ? e : new Error(String(e)),
  );
  let fast: RawLoad | null = null;
  try {
    fast = await readCsvWithDuckDb(host, table, source, columns);
  } catch (error) {
    if (!isReaderError(error)) {
      await counting;
      throw error;
    }
  }
  const count = await counting;
  if (count instanceof Error) throw unreadable(source, count);
  if (fast && !count.nul && fast.rows + new Set(fast.rejects.map((r) => r.line)).size === count.records) return fast;
  return restage(host, table, source, columns.length);
}

/** The fast path alone: DuckDB's read_csv stages the file, unchecked (throws what the reader throws). */
export async function readCsvWithDuckDb(
  host: CsvLoadHost,
  table: string,
  source: RawSource,
  columns: readonly SourceColumn[],
): Promise<RawLoad> {
  const rejectsTable = `${table}_reader_rejects`;
  const scansTable = `${table}_reader_scans`;
  await host.exec(stageSourceSql(table, source, columns, { rejectsTable, scansTable }));
  const count = await host.query(countRowsSql(table));
  const rows = await host.query(readerRejectsSql(rejectsTable));
  const rejects: ReaderReject[] = rows.map((r) => ({
    line: r.line,
    column: r.column_idx,
    kind: r.error_type,
    text: r.csv_line,
  }));
  return { rows: count[0]?.n ?? 0, rejects };
}

/**
 * Stage the file through the pre-pass: its clean records and its rejects go
 * to two temporary files, which read_csv then loads (a clean file has nothing
 * its reader could trip on). NUL bytes are rejected as on PostgreSQL.
 */
async function restage(host: CsvLoadHost, table: string, source: RawSource, columnCount: number): Promise<RawLoad> {
  const dir = await mkdtemp(join(tmpdir(), "tierwise-csv-"));
  try {
    const scan = await scanCsv(source, columnCount, { rejectNul: true, numbered: true, progress: host.progress });
    const recordsPath = join(dir, "records.csv");
    await pipeline(Readable.from(scan.chunks), createWriteStream(recordsPath)).catch((e: unknown) => {
      // A failure to read the file names it; one to write the temporary file (disk full) stays as it is.
      throw e instanceof Error && (e as NodeJS.ErrnoException).code !== "ENOSPC" ? unreadable(source, e) : e;
    });
    await host.exec(stageCleanCsvSql(table, recordsPath, columnCount));
    const rejectsTable = `${table}_reader_rejects`;
    if (scan.rejects.length === 0) {
      await host.exec(emptyRejectsSql(rejectsTable));
    } else {
      const rejectsPath = join(dir, "rejects.csv");
      await writeFile(rejectsPath, readerRejectsCsv(scan.rejects));
      await host.exec(loadCleanRejectsSql(rejectsTable, rejectsPath));
    }
    return { rows: scan.rows(), rejects: scan.rejects };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
