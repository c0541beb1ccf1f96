import type { SourceColumn } from "../../model/index.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, records, select } from "../row.js";

/**
 * NDJSON read line by line in DuckDB: the physical lines of a file (cut by
 * `engine/ndjson-lines.ts`) are appended to `<table>_lines` batch by batch;
 * each batch's good lines are read into the stage `<table>_raw` (`__rec` =
 * the line number, text columns c1…cN) and its bad ones into
 * `<table>_reader_rejects`, with the columns of DuckDB's CSV reject table.
 * Both engines stage NDJSON this way (PostgreSQL through an in-memory
 * DuckDB), so both read exactly the same values and reject the same lines.
 */

const linesOf = (table: string) => ident(`${table}_lines`);

/** `\u0000` in a JSON string (not `\\u0000`, an escaped backslash before `u0000`). */
const NUL_ESCAPE = "(^|[^\\\\])(\\\\\\\\)*\\\\u0000";

/** Why a line is not a record, as a reader error type, or NULL for a JSON object with distinct keys. */
const LINE_PROBLEM = sql`CASE WHEN problem IS NOT NULL THEN problem
  WHEN NOT json_valid(text) THEN 'MALFORMED JSON'
  WHEN json_type(text) <> 'OBJECT' THEN 'NOT AN OBJECT'
  WHEN len(json_keys(text)) <> len(list_distinct(json_keys(text))) THEN 'DUPLICATE KEY'
  WHEN contains(text, 'u0000') AND regexp_matches(text, ${NUL_ESCAPE}) THEN 'NUL CHARACTER' END`;

/** The lines table a batch is appended to (columns line, text, problem). */
export function createNdjsonLinesSql(table: string): SqlFragment {
  return sql`CREATE OR REPLACE TEMP TABLE ${linesOf(table)} (line BIGINT, text VARCHAR, problem VARCHAR)`;
}

/** The stage `<table>_raw`, its view `<table>` and the reader rejects table, empty. */
export function createNdjsonStageSql(table: string, columnCount: number): SqlFragment[] {
  const defs = join(Array.from({ length: columnCount }, (_, i) => sql`${ident(`c${i + 1}`)} VARCHAR`));
  return [
    sql`CREATE OR REPLACE TEMP TABLE ${ident(`${table}_raw`)} (__rec BIGINT, ${defs})`,
    sql`CREATE OR REPLACE TEMP VIEW ${ident(table)} AS SELECT * FROM ${ident(`${table}_raw`)}`,
    sql`CREATE OR REPLACE TEMP TABLE ${ident(`${table}_reader_rejects`)} (line BIGINT, column_idx BIGINT, error_type VARCHAR, csv_line VARCHAR)`,
  ];
}

/** A JSON pointer to a top-level key (`~` and `/` escaped as RFC 6901 says). */
function pointer(key: string): string {
  return `/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}

/**
 * Move the appended batch into the stage and the rejects, then empty the
 * lines table. A field's text is the JSON string's value, a number's or a
 * boolean's JSON text, or the JSON text of a nested object or array; JSON
 * null and an absent key are NULL. Of a repeated key the line is rejected.
 */
export function consumeNdjsonBatchSql(table: string, columns: readonly SourceColumn[]): SqlFragment[] {
  const lines = linesOf(table);
  const batch = ident(`${table}_batch`);
  const fields = join(columns.map((_, i) => sql`v[${integer(i + 1)}]`));
  const pointers = columns.map((c) => pointer(c.name));
  const values = columns.length > 0 ? sql`json_extract_string(text, ${pointers})` : sql`CAST([] AS VARCHAR[])`;
  // Each line is classified once; only good lines are read, only bad ones keep their text.
  return [
    sql`CREATE OR REPLACE TEMP TABLE ${batch} AS SELECT line, kind, CASE WHEN kind IS NULL THEN ${values} END AS v,
  CASE WHEN kind IS NOT NULL THEN text END AS text
FROM (SELECT line, text, ${LINE_PROBLEM} AS kind FROM ${lines}) l`,
    sql`INSERT INTO ${ident(`${table}_raw`)} SELECT line${columns.length > 0 ? sql`, ${fields}` : raw("")}
FROM ${batch} WHERE kind IS NULL`,
    sql`INSERT INTO ${ident(`${table}_reader_rejects`)} SELECT line, NULL, kind, text FROM ${batch} WHERE kind IS NOT NULL`,
    sql`DELETE FROM ${lines}`,
    sql`DROP TABLE ${batch}`,
  ];
}

/** The keys of the JSON objects among the appended lines, in order of first appearance. */
export function ndjsonKeysSql(table: string) {
  return select(
    { column_name: col.text, column_type: col.text },
    sql`SELECT k AS column_name, 'VARCHAR' AS column_type FROM (
  SELECT line, unnest(json_keys(text)) AS k, unnest(range(len(json_keys(text)))) AS i
  FROM ${linesOf(table)} WHERE (${LINE_PROBLEM}) IS NULL) keys
GROUP BY k ORDER BY min(line), arg_min(i, line)`,
  );
}

/** How many of the appended lines are JSON objects. */
export function ndjsonObjectCountSql(table: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${linesOf(table)} WHERE (${LINE_PROBLEM}) IS NULL`);
}

/** The reader rejects of a stage `consumeNdjsonBatchSql` built: line, kind, text, in line order. */
export function ndjsonStageRejectsSql(table: string) {
  return select(
    { line: col.integer, kind: col.text, text: col.nullable(col.text) },
    sql`SELECT line, error_type AS kind, csv_line AS text FROM ${ident(`${table}_reader_rejects`)} ORDER BY line`,
  );
}

export function dropNdjsonLinesSql(table: string): SqlFragment {
  return sql`DROP TABLE IF EXISTS ${linesOf(table)}`;
}

/** A batch staged by the reader of another engine: its rows in line order, then emptied. */
export function ndjsonStageDrain(table: string, columnCount: number) {
  const list = join([
    raw("CAST(__rec AS VARCHAR) AS __rec"),
    ...Array.from({ length: columnCount }, (_, i) => ident(`c${i + 1}`)),
  ]);
  return {
    select: records(sql`SELECT ${list} FROM ${ident(`${table}_raw`)} ORDER BY __rec`),
    empty: sql`DELETE FROM ${ident(`${table}_raw`)}`,
  };
}
