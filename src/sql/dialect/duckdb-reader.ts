import type { RawSource, SourceColumn } from "../../model/index.js";
import { ident, join, raw, type SqlFragment, sql, TextStruct } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * DuckDB's own file readers (read_csv, read_json, read_parquet) as SQL. Source
 * paths and reader options are bound parameters; source column names never
 * reach SQL text: columns are renamed positionally to c1…cN.
 */

/**
 * CSV is read with an explicit dialect and no sniffing: one malformed row must
 * not make a sniffer decide the whole file has no quoting.
 */
function csvOptions(source: RawSource, columnCount: number, extra: SqlFragment | null): SqlFragment {
  const quote = source.quote ?? '"';
  const columns = new TextStruct(
    Object.fromEntries(Array.from({ length: columnCount }, (_, i) => [`c${i + 1}`, "VARCHAR"])),
  );
  const options: SqlFragment[] = [
    raw("auto_detect = false, header = true, strict_mode = true, null_padding = false"),
    sql`delim = ${source.delimiter ?? ","}, quote = ${quote}, escape = ${quote}, columns = ${columns}`,
  ];
  if (source.encoding !== undefined) options.push(sql`encoding = ${source.encoding}`);
  if (extra) options.push(extra);
  return join(options);
}

function readerCall(
  source: RawSource,
  columns: readonly SourceColumn[] | null,
  extra: SqlFragment | null,
): SqlFragment {
  switch (source.format) {
    case "csv":
      return sql`read_csv(${source.path}, ${csvOptions(source, columns?.length ?? 0, extra)})`;
    case "ndjson":
    case "json": {
      const format = source.format === "ndjson" ? "newline_delimited" : "array";
      if (!columns) return sql`read_json(${source.path}, format = ${format})`;
      // Read every field as text: numbers keep their digits, nested values their JSON.
      const spec = new TextStruct(Object.fromEntries(columns.map((c) => [c.name, "VARCHAR"])));
      return sql`read_json(${source.path}, format = ${format}, columns = ${spec})`;
    }
    case "parquet":
      return sql`read_parquet(${source.path})`;
  }
}

function aliases(count: number): SqlFragment {
  return join(Array.from({ length: count }, (_, i) => ident(`c${i + 1}`)));
}

/** The columns of a JSON or Parquet file as the reader sees them. */
export function describeSourceSql(source: RawSource) {
  return select(
    { column_name: col.text, column_type: col.text },
    sql`DESCRIBE SELECT * FROM ${readerCall(source, null, null)}`,
  );
}

/** A select-list item turning a source column (already renamed cN) into text. */
function asText(column: SourceColumn, index: number): SqlFragment {
  const name = ident(`c${index + 1}`);
  const nested = /^(STRUCT|MAP|UNION)|\[\d*\]$/.test(column.type);
  if (column.type === "VARCHAR") return name;
  if (nested) return sql`CAST(to_json(${name}) AS VARCHAR) AS ${name}`;
  return sql`CAST(${name} AS VARCHAR) AS ${name}`;
}

export interface RejectTables {
  readonly rejectsTable: string;
  readonly scansTable: string;
}

/**
 * Stage a file into `<table>_raw` (text columns c1…cN, file order kept) and a
 * view `<table>` adding `__rec`, the 1-based record number.
 */
export function stageSourceSql(
  table: string,
  source: RawSource,
  columns: readonly SourceColumn[],
  rejects: RejectTables,
): SqlFragment[] {
  const rawTable = ident(`${table}_raw`);
  const extra =
    source.format === "csv"
      ? sql`ignore_errors = true, store_rejects = true, rejects_table = ${rejects.rejectsTable}, rejects_scan = ${rejects.scansTable}`
      : null;
  const select = join(columns.map(asText));
  return [
    sql`CREATE OR REPLACE TEMP TABLE ${rawTable} AS SELECT ${select} FROM ${readerCall(source, columns, extra)} AS s(${aliases(columns.length)})`,
    // Temporary tables number rows from a large offset; __rec counts from 1 in file order.
    sql`CREATE OR REPLACE TEMP VIEW ${ident(table)} AS SELECT rowid - (SELECT min(rowid) FROM ${rawTable}) + 1 AS __rec, * FROM ${rawTable}`,
  ];
}

export function countRowsSql(table: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident(`${table}_raw`)}`);
}

export function readerRejectsSql(rejectsTable: string) {
  return select(
    {
      line: col.nullable(col.integer),
      column_idx: col.nullable(col.integer),
      error_type: col.text,
      csv_line: col.nullable(col.text),
    },
    sql`SELECT line, column_idx, error_type, csv_line FROM ${ident(rejectsTable)} ORDER BY line`,
  );
}

/** Write a query's result to a CSV file with a header line. */
export function copyToCsvSql(query: SqlFragment, path: string): SqlFragment {
  // No tmp_ file beside the target (DuckDB leaves it on a failure): writers that must not leave a partial file write to their own staging path and remove it.
  return sql`COPY (${query}) TO ${path} (FORMAT csv, HEADER true, USE_TMP_FILE false)`;
}

/** A JSON or Parquet file's rows as text columns c1…cN in file order, as `stageSourceSql` stages them. */
export function readSourceTextSql(source: RawSource, columns: readonly SourceColumn[]): SqlFragment {
  return sql`SELECT ${join(columns.map(asText))} FROM ${readerCall(source, columns, null)} AS s(${aliases(columns.length)})`;
}

/**
 * Room for one record of the clean CSV that `scanned-csv.ts` writes: a record
 * the pre-pass accepted is at most 2,000,000 bytes, and quoting can double it.
 */
const CLEAN_LINE_BYTES = 8_000_000;

/** read_csv over a clean CSV file (no header, `"` quotes, `\n` endings) of the given typed columns, in file order. */
function cleanCsvCall(path: string, columns: Record<string, string>): SqlFragment {
  return sql`read_csv(${path}, auto_detect = false, header = false, strict_mode = true, null_padding = false, delim = ',', quote = '"', escape = '"', new_line = ${"\\n"}, max_line_size = ${CLEAN_LINE_BYTES}, buffer_size = ${4 * CLEAN_LINE_BYTES}, columns = ${new TextStruct(columns)})`;
}

/**
 * Stage a CSV file already split by the pre-pass: `path` holds its parsed
 * records as clean CSV, each led by its record number; the same tables as
 * `stageSourceSql` come out (`<table>_raw` with c1…cN, the view `<table>`).
 */
export function stageCleanCsvSql(table: string, path: string, columnCount: number): SqlFragment[] {
  const rawTable = ident(`${table}_raw`);
  const names = Array.from({ length: columnCount }, (_, i) => `c${i + 1}`);
  const columns = { __rec: "BIGINT", ...Object.fromEntries(names.map((n) => [n, "VARCHAR"])) };
  return [
    sql`CREATE OR REPLACE TEMP TABLE ${rawTable} AS SELECT ${join(names.map((n) => ident(n)))} FROM ${cleanCsvCall(path, columns)}`,
    sql`CREATE OR REPLACE TEMP VIEW ${ident(table)} AS SELECT rowid - (SELECT min(rowid) FROM ${rawTable}) + 1 AS __rec, * FROM ${rawTable}`,
  ];
}

/** The pre-pass's reader rejects (clean CSV: line, column, kind, text) as a reject table like read_csv's. */
export function loadCleanRejectsSql(rejectsTable: string, path: string): SqlFragment {
  const columns = { line: "BIGINT", column_idx: "BIGINT", error_type: "VARCHAR", csv_line: "VARCHAR" };
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(rejectsTable)} AS SELECT * FROM ${cleanCsvCall(path, columns)}`;
}

/** An empty reject table like read_csv's (the pre-pass found nothing to reject). */
export function emptyRejectsSql(rejectsTable: string): SqlFragment {
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(rejectsTable)} (line BIGINT, column_idx BIGINT, error_type VARCHAR, csv_line VARCHAR)`;
}
