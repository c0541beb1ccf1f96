import { raw, type SqlFragment, sql } from "../fragment.js";
import type { OutputFormat } from "./output.js";

/**
 * Write a query's rows to one file. The query carries its ORDER BY, and
 * DuckDB keeps that order when writing, so a file is byte-identical for the
 * same data. The path is a bound parameter.
 */
export function copyToFileSql(select: SqlFragment, path: string, format: OutputFormat): SqlFragment {
  const options = format === "csv" ? raw("FORMAT csv, HEADER true") : raw("FORMAT parquet, COMPRESSION zstd");
  return sql`COPY (${select}) TO ${path} (${options})`;
}
