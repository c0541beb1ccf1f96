import type { CheckDef, TablePlan } from "../../plan/index.js";
import { REJECT_CODES, type RejectCode } from "../../errors/index.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";

/** All rejects of one ingest, across tables, until they are written to the rejects file. */
export const REJECTS_TABLE = "tw_rejects";

export function createRejectsTableSql(): SqlFragment {
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(REJECTS_TABLE)} (
  table_name VARCHAR, source_file VARCHAR, line BIGINT, record BIGINT, column_index INTEGER,
  field VARCHAR, code VARCHAR, reason VARCHAR, source_record VARCHAR)`;
}

/** The check catalogue of one table as a temp table (id → code, field, location, reason). */
export function createChecksTableSql(name: string, checks: readonly CheckDef[]): SqlFragment {
  const rows = checks.map(
    (c) =>
      sql`(CAST(${c.id} AS INTEGER), CAST(${c.code} AS VARCHAR), CAST(${c.column} AS VARCHAR), CAST(${c.sourceIndex} AS INTEGER), CAST(${c.reason} AS VARCHAR))`,
  );
  return sql`CREATE OR REPLACE TEMP TABLE ${ident(name)} AS SELECT * FROM (VALUES ${join(rows)}) v(id, code, field, source_index, reason)`;
}

/** Whether any text column of a staged CSV holds a line break (then line numbers need counting). */
export function hasLineBreaksSql(stageRaw: string, columnCount: number): SqlFragment {
  const any = join(
    Array.from({ length: columnCount }, (_, i) => sql`coalesce(contains(${ident(`c${i + 1}`)}, chr(10)), false)`),
    " OR ",
  );
  return sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${ident(stageRaw)} WHERE ${any} LIMIT 1) x`;
}

export type LineMode =
  | { readonly kind: "csv"; readonly readerRejects: string; readonly lineBreaks: boolean; readonly columnCount: number }
  | { readonly kind: "record" }
  | { readonly kind: "none" };

/**
 * A SELECT of (__rec, line) for the given records: the physical line where
 * each record starts, counting the header, multi-line quoted fields and lines
 * the reader rejected.
 */
function lineNumbersSql(stage: string, recs: SqlFragment, mode: LineMode): SqlFragment {
  if (mode.kind === "none") return sql`SELECT __rec, CAST(NULL AS BIGINT) AS line FROM ${ident(stage)} WHERE __rec IN (${recs})`;
  if (mode.kind === "record") return sql`SELECT __rec, __rec AS line FROM ${ident(stage)} WHERE __rec IN (${recs})`;
  const breaks = join(
    Array.from(
      { length: mode.columnCount },
      (_, i) => sql`coalesce(length(${ident(`c${i + 1}`)}) - length(replace(${ident(`c${i + 1}`)}, chr(10), '')), 0)`,
    ),
    " + ",
  );
  const base = mode.lineBreaks
    ? sql`SELECT __rec, __rec + 1 + coalesce(sum(${breaks}) OVER (ORDER BY __rec ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS b FROM ${ident(stage)}`
    : sql`SELECT __rec, __rec + 1 AS b FROM ${ident(stage)} WHERE __rec IN (${recs})`;
  return sql`SELECT base.__rec, base.b + (
    SELECT count(*) FROM (SELECT line - (row_number() OVER (ORDER BY line) - 1) AS k FROM (SELECT DISTINCT line FROM ${ident(mode.readerRejects)}) u) rr
    WHERE rr.k <= base.b) AS line
  FROM (${base}) base WHERE base.__rec IN (${recs})`;
}

/** The source row as a JSON object keyed by the file's own column names. */
function sourceRecordJson(plan: TablePlan): SqlFragment {
  const pairs = plan.sourceColumns.map((c, i) => sql`${c.name}, s.${ident(`c${i + 1}`)}`);
  return pairs.length ? sql`CAST(json_object(${join(pairs)}) AS VARCHAR)` : raw("NULL");
}

/** Add one reject per failed check of every rejected row of a table. */
export function insertRowRejectsSql(
  plan: TablePlan,
  problems: SqlFragment,
  checks: string,
  checked: string,
  stage: string,
  mode: LineMode,
): SqlFragment {
  const recs = sql`SELECT __rec FROM ${ident(checked)} WHERE __err IS NOT NULL`;
  return sql`INSERT INTO ${ident(REJECTS_TABLE)}
SELECT ${plan.table.name}, ${plan.file}, l.line, r.__rec, d.source_index + 1, d.field, d.code,
  replace(d.reason, '{first}', coalesce(CAST(c.__arg AS VARCHAR), '?')), ${sourceRecordJson(plan)}
FROM (${problems}) r
JOIN ${ident(checks)} d ON d.id = r.check_id
JOIN ${ident(checked)} c ON c.__rec = r.__rec
JOIN ${ident(stage)} s ON s.__rec = r.__rec
LEFT JOIN (${lineNumbersSql(stage, recs, mode)}) l ON l.__rec = r.__rec`;
}

const READER_ERRORS: ReadonlyArray<readonly [string, RejectCode]> = [
  ["TOO MANY COLUMNS", "TOO_MANY_FIELDS"],
  ["MISSING COLUMNS", "MISSING_FIELDS"],
  ["UNQUOTED VALUE", "MALFORMED_QUOTES"],
  ["INVALID UNICODE", "INVALID_ENCODING"],
  ["LINE SIZE OVER MAXIMUM", "LINE_TOO_LONG"],
];

/** Add one reject per line the CSV reader could not parse. */
export function insertReaderRejectsSql(plan: TablePlan, readerRejects: string): SqlFragment {
  const code = sql`CASE error_type ${join(
    READER_ERRORS.map(([type, c]) => sql`WHEN ${type} THEN ${c}`),
    " ",
  )} ELSE 'MALFORMED_ROW' END`;
  const reasons = sql`CASE code ${join(
    Object.entries(REJECT_CODES).map(([c, message]) => sql`WHEN ${c} THEN ${message}`),
    " ",
  )} END`;
  const names = plan.sourceColumns.map((c) => c.name);
  return sql`INSERT INTO ${ident(REJECTS_TABLE)}
SELECT ${plan.table.name}, ${plan.file}, line, NULL, column_idx, ${names}[CAST(column_idx AS BIGINT)], code, ${reasons}, csv_line
FROM (SELECT line, min(column_idx) AS column_idx, ${code} AS code, min(csv_line) AS csv_line
      FROM ${ident(readerRejects)} GROUP BY line, error_type) e
QUALIFY row_number() OVER (PARTITION BY line ORDER BY code) = 1`;
}

/** Rejected rows of one table (a row with several problems counts once). */
export function countRejectedSql(table: string): SqlFragment {
  return sql`SELECT count(DISTINCT coalesce(CAST(record AS VARCHAR), 'line ' || CAST(line AS VARCHAR))) AS n
FROM ${ident(REJECTS_TABLE)} WHERE table_name = ${table}`;
}

/** Reject counts by table, code and field, most frequent first. */
export function rejectReasonsSql(): SqlFragment {
  return sql`SELECT table_name, code, field, min(reason) AS reason, count(*) AS n FROM ${ident(REJECTS_TABLE)}
GROUP BY table_name, code, field ORDER BY table_name, n DESC, code`;
}

/** Write every reject of this ingest to a CSV file. */
export function exportRejectsSql(path: string, tableOrder: readonly string[]): SqlFragment {
  const order = sql`CASE table_name ${join(
    tableOrder.map((t, i) => sql`WHEN ${t} THEN ${raw(String(i))}`),
    " ",
  )} END`;
  return sql`COPY (SELECT table_name AS "table", source_file AS file, line, record, column_index AS "column", field, code, reason, source_record
  FROM ${ident(REJECTS_TABLE)} ORDER BY ${order}, coalesce(line, record), record, column_index) TO ${raw(`'${path.replaceAll("'", "''")}'`)} (FORMAT csv, HEADER true)`;
}
