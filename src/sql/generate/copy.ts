import { raw, type SqlFragment, sql } from "../fragment.js";
import { col, select as typed } from "../row.js";
import type { OutputFormat } from "./output.js";

/**
 * Write a query's rows to one file. The query carries its ORDER BY, and
 * DuckDB keeps that order when writing, so a file is byte-identical for the
 * same data. The path is a bound parameter.
 */
export function copyToFileSql(select: SqlFragment, path: string, format: OutputFormat) {
  const options = format === "csv" ? raw("FORMAT csv, HEADER true") : raw("FORMAT parquet, COMPRESSION zstd");
  // DuckDB's COPY returns the number of rows written as `Count`.
  return typed({ Count: col.integer }, sql`COPY (${select}) TO ${path} (${options})`);
}
