import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * The SQL of PostgreSQL's bulk paths: the text staging tables that `loadRaw`
 * fills with `COPY … FROM STDIN`, and `COPY … TO STDOUT` for exports. COPY
 * takes no bound parameters, so none of these statements has any.
 */

const columns = (count: number) => Array.from({ length: count }, (_, i) => ident(`c${i + 1}`));

/**
 * Fresh staging tables for one file: `<table>_raw` (`__rec`, c1…cN as text),
 * the view `<table>` over it, and `<table>_reader_rejects` with the columns of
 * DuckDB's reject table that ingest reads (line, column_idx, error_type,
 * csv_line).
 */
export function createStageSql(table: string, columnCount: number): SqlFragment[] {
  const rawTable = `${table}_raw`;
  const rejects = `${table}_reader_rejects`;
  const defs = join(columns(columnCount).map((c) => sql`${c} TEXT`));
  return [
    sql`DROP VIEW IF EXISTS ${ident("pg_temp", table)}`,
    sql`DROP TABLE IF EXISTS ${ident("pg_temp", rawTable)}`,
    sql`DROP TABLE IF EXISTS ${ident("pg_temp", rejects)}`,
    sql`CREATE TEMP TABLE ${ident(rawTable)} (__rec BIGINT NOT NULL, ${defs})`,
    sql`CREATE TEMP VIEW ${ident(table)} AS SELECT * FROM ${ident(rawTable)}`,
    sql`CREATE TEMP TABLE ${ident(rejects)} (line BIGINT, column_idx BIGINT, error_type TEXT, csv_line TEXT)`,
  ];
}

/** COPY of staged rows (`__rec`, c1…cN) in CSV. */
export function copyStageSql(table: string, columnCount: number): SqlFragment {
  const list = join([raw("__rec"), ...columns(columnCount)]);
  return sql`COPY ${ident(`${table}_raw`)} (${list}) FROM STDIN (FORMAT csv)`;
}

/** COPY of the reader's rejects of one file, in CSV. */
export function copyReaderRejectsSql(table: string): SqlFragment {
  return sql`COPY ${ident(`${table}_reader_rejects`)} (line, column_idx, error_type, csv_line) FROM STDIN (FORMAT csv)`;
}

/** Statistics for the planner: temporary tables are never analysed automatically. */
export function analyzeStageSql(table: string): SqlFragment {
  return sql`ANALYZE ${ident(`${table}_raw`)}`;
}

/** A query's result in COPY's text format with a header line (tab-separated, `\N` for NULL). */
export function copyOutSql(query: SqlFragment): SqlFragment {
  return sql`COPY (${query}) TO STDOUT (FORMAT text, HEADER true)`;
}

/** The session's time zone name (what `setTimeZone` set). */
export function currentTimeZoneSql() {
  return select({ zone: col.text }, raw("SELECT current_setting('TimeZone') AS zone"));
}

/** Session settings Tierwise relies on: ISO dates in text results, whatever the server's default. */
export function sessionSetupSql(): SqlFragment[] {
  return [raw("SET DateStyle = 'ISO, YMD'"), raw("SET IntervalStyle = 'postgres'")];
}
