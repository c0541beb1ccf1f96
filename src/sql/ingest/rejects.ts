import { REJECT_CODES, type RejectCode } from "../../errors/index.js";
import { TABLE_NAMES } from "../../model/index.js";
import type { CheckDef, TablePlan } from "../../plan/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { textCell } from "../spreadsheet-safe.js";
import { idForbiddenLabelSql } from "./id-text.js";

/** All rejects of one ingest, across tables, until they are written to the rejects file. */
export const REJECTS_TABLE = "tw_rejects";

/** `table_pos` is the table's place in the model, the order of the rejects file. */
export function createRejectsTableSql(d: Dialect): SqlFragment[] {
  return d.createTempTable(
    REJECTS_TABLE,
    sql`(table_pos INTEGER, table_name VARCHAR, source_file VARCHAR, line BIGINT, record BIGINT, column_index INTEGER,
  field VARCHAR, code VARCHAR, reason VARCHAR, source_record VARCHAR)`,
  );
}

function tablePosition(plan: TablePlan): SqlFragment {
  return integer(TABLE_NAMES.indexOf(plan.table.name));
}

/** The check catalogue of one table as a temp table (id → code, field, location, reason). */
export function createChecksTableSql(d: Dialect, name: string, checks: readonly CheckDef[]): SqlFragment[] {
  const rows = checks.map(
    (c) =>
      sql`(CAST(${c.id} AS INTEGER), CAST(${c.code} AS VARCHAR), CAST(${c.column} AS VARCHAR), CAST(${c.sourceIndex} AS INTEGER), CAST(${c.reason} AS VARCHAR))`,
  );
  return d.createTempTable(name, sql`AS SELECT * FROM (VALUES ${join(rows)}) v(id, code, field, source_index, reason)`);
}

/** The reader's raw text of a rejected record without the line ends DuckDB leaves around it. */
function cleanCsvLine(column: SqlFragment): SqlFragment {
  return sql`regexp_replace(regexp_replace(${column}, '^\r?\n', ''), '\r?\n$', '')`;
}

/** Line breaks in text: `\n`, `\r\n` and a lone `\r` each count one, as they end records outside quotes. */
function newlineCount(text: SqlFragment): SqlFragment {
  const lf = sql`replace(${text}, chr(13) || chr(10), chr(10))`;
  return sql`coalesce(length(${lf}) - length(replace(replace(${lf}, chr(10), ''), chr(13), '')), 0)`;
}

/** Whether any staged field, or any record the reader rejected, spans several lines. */
export function hasLineBreaksSql(stageRaw: string, columnCount: number, readerRejects: string | null) {
  const any = join(
    Array.from(
      { length: columnCount },
      (_, i) =>
        sql`coalesce(strpos(${ident(`c${i + 1}`)}, chr(10)) > 0 OR strpos(${ident(`c${i + 1}`)}, chr(13)) > 0, false)`,
    ),
    " OR ",
  );
  const inRejects = readerRejects
    ? sql` + (SELECT count(*) FROM ${ident(readerRejects)} WHERE strpos(${cleanCsvLine(raw("csv_line"))}, chr(10)) > 0 OR strpos(${cleanCsvLine(raw("csv_line"))}, chr(13)) > 0)`
    : raw("");
  return select(
    { n: col.integer },
    sql`SELECT (SELECT count(*) FROM (SELECT 1 FROM ${ident(stageRaw)} WHERE ${any} LIMIT 1) x)${inRejects} AS n`,
  );
}

export type LineMode =
  | {
      readonly kind: "csv";
      readonly readerRejects: string | null;
      readonly lineBreaks: boolean;
      readonly columnCount: number;
    }
  | { readonly kind: "record" }
  | { readonly kind: "none" };

/**
 * A table of (__rec, logical, line) for the rejected records of one file:
 * `line` is the physical line where a record starts. DuckDB numbers records
 * it rejects by logical row (header = 1), so records are first placed in
 * logical order (parsed rows interleaved with rejected ones), then the line
 * breaks inside earlier records are added. Rows the reader rejected have a
 * NULL __rec.
 */
export function createLineTableSql(
  d: Dialect,
  lines: string,
  stage: string,
  checked: string,
  mode: LineMode,
): SqlFragment[] {
  const recs = sql`SELECT __rec FROM ${ident(checked)} WHERE __err IS NOT NULL`;
  if (mode.kind !== "csv") {
    const line = mode.kind === "record" ? raw("__rec") : raw("CAST(NULL AS BIGINT)");
    return d.createTempTable(
      lines,
      sql`AS
SELECT __rec, __rec AS logical, ${line} AS line FROM ${ident(stage)} WHERE __rec IN (${recs})`,
    );
  }
  const ranked = mode.readerRejects
    ? sql`SELECT l, nl, l - (row_number() OVER (ORDER BY l) - 1) AS k
      FROM (SELECT line AS l, max(${newlineCount(cleanCsvLine(raw("csv_line")))}) AS nl FROM ${ident(mode.readerRejects)} GROUP BY line) r`
    : raw("SELECT CAST(NULL AS BIGINT) AS l, 0 AS nl, CAST(NULL AS BIGINT) AS k WHERE false");
  const breaks = join(
    Array.from({ length: mode.columnCount }, (_, i) => newlineCount(ident(`c${i + 1}`))),
    " + ",
  );
  const logical = sql`s.__rec + 1 + (SELECT count(*) FROM ranked WHERE ranked.k <= s.__rec + 1)`;
  if (!mode.lineBreaks) {
    return d.createTempTable(
      lines,
      sql`AS
WITH ranked AS (${ranked})
SELECT s.__rec, ${logical} AS logical, ${logical} AS line FROM ${ident(stage)} s WHERE s.__rec IN (${recs})
UNION ALL SELECT NULL, l, l FROM ranked`,
    );
  }
  return d.createTempTable(
    lines,
    sql`AS
WITH ranked AS (${ranked}),
records AS (
  SELECT s.__rec, ${logical} AS l, ${breaks} AS nl FROM ${ident(stage)} s
  UNION ALL SELECT NULL, l, nl FROM ranked
),
placed AS (
  SELECT __rec, l, l + coalesce(sum(nl) OVER (ORDER BY l ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line FROM records
)
SELECT __rec, l AS logical, line FROM placed WHERE __rec IS NULL OR __rec IN (${recs})`,
  );
}

/** The source row as a JSON object keyed by the file's own column names. */
function sourceRecordJson(d: Dialect, plan: TablePlan): SqlFragment {
  const pairs = plan.sourceColumns.map((c, i) => [c.name, sql`s.${ident(`c${i + 1}`)}`] as const);
  return pairs.length ? d.jsonObjectText(pairs) : raw("NULL");
}

/** Add one reject per failed check of every rejected row of a table. */
export function insertRowRejectsSql(
  d: Dialect,
  plan: TablePlan,
  problems: SqlFragment,
  checks: string,
  checked: string,
  stage: string,
  lines: string,
): SqlFragment {
  const ids = plan.columns.filter((c) => c.column.type === "id" && c.source.kind !== "absent");
  // An INVALID_ID reason names the character (`{char}`) found in the field's id text.
  const idText = ids.length
    ? sql`CASE k.field ${join(
        ids.map((c) => sql`WHEN ${c.column.name} THEN c.${ident(c.column.name)}`),
        " ",
      )} END`
    : raw("CAST(NULL AS VARCHAR)");
  const reason = sql`replace(k.reason, '{first}', coalesce(CAST(c.__arg AS VARCHAR), '?'))`;
  return sql`INSERT INTO ${ident(REJECTS_TABLE)}
SELECT ${tablePosition(plan)}, ${plan.table.name}, ${plan.file}, l.line, r.__rec, k.source_index + 1, k.field, k.code,
  CASE WHEN k.code = 'INVALID_ID' THEN replace(${reason}, '{char}', coalesce(${idForbiddenLabelSql(d, idText)}, '?')) ELSE ${reason} END,
  ${sourceRecordJson(d, plan)}
FROM (${problems}) r
JOIN ${ident(checks)} k ON k.id = r.check_id
JOIN ${ident(checked)} c ON c.__rec = r.__rec
JOIN ${ident(stage)} s ON s.__rec = r.__rec
LEFT JOIN ${ident(lines)} l ON l.__rec = r.__rec`;
}

const READER_ERRORS: ReadonlyArray<readonly [string, RejectCode]> = [
  ["TOO MANY COLUMNS", "TOO_MANY_FIELDS"],
  ["MISSING COLUMNS", "MISSING_FIELDS"],
  ["UNQUOTED VALUE", "MALFORMED_QUOTES"],
  ["INVALID UNICODE", "INVALID_ENCODING"],
  ["INVALID ENCODING", "INVALID_ENCODING"],
  ["LINE SIZE OVER MAXIMUM", "LINE_TOO_LONG"],
  ["MALFORMED JSON", "MALFORMED_JSON"],
  ["NOT AN OBJECT", "NOT_A_JSON_OBJECT"],
  ["DUPLICATE KEY", "DUPLICATE_JSON_KEY"],
  ["NUL CHARACTER", "NUL_CHARACTER"],
];

/** Add one reject per line the CSV reader could not parse (`lines` from `createLineTableSql`). */
export function insertReaderRejectsSql(plan: TablePlan, readerRejects: string, lines: string): SqlFragment {
  const code = sql`CASE error_type ${join(
    READER_ERRORS.map(([type, c]) => sql`WHEN ${type} THEN ${c}`),
    " ",
  )} ELSE 'MALFORMED_ROW' END`;
  const reasons = sql`CASE code ${join(
    Object.entries(REJECT_CODES).map(([c, message]) => sql`WHEN ${c} THEN ${message}`),
    " ",
  )} END`;
  const names = plan.sourceColumns.map((c) => c.name);
  // One reject per line: of several reader errors on a line, the first code in alphabetical order.
  return sql`INSERT INTO ${ident(REJECTS_TABLE)}
SELECT ${tablePosition(plan)}, ${plan.table.name}, ${plan.file}, line, NULL, column_idx, ${names}[CAST(column_idx AS BIGINT)], code, ${reasons}, text
FROM (SELECT coalesce(l.line, e.line) AS line, column_idx, code, text, row_number() OVER (PARTITION BY e.line ORDER BY code) AS n
  FROM (SELECT line, min(column_idx) AS column_idx, ${code} AS code, min(${cleanCsvLine(raw("csv_line"))}) AS text
        FROM ${ident(readerRejects)} GROUP BY line, error_type) e
  LEFT JOIN ${ident(lines)} l ON l.__rec IS NULL AND l.logical = e.line) first_error
WHERE n = 1`;
}

/** Rejected rows of one table (a row with several problems counts once). */
export function countRejectedSql(table: string) {
  return select(
    { n: col.integer },
    sql`SELECT count(DISTINCT coalesce(CAST(record AS VARCHAR), 'line ' || CAST(line AS VARCHAR))) AS n
FROM ${ident(REJECTS_TABLE)} WHERE table_name = ${table}`,
  );
}

/** Reject counts by table, code and field, most frequent first. */
export function rejectReasonsSql() {
  return select(
    { table_name: col.text, code: col.text, field: col.nullable(col.text), reason: col.text, n: col.integer },
    sql`SELECT table_name, code, field, min(reason) AS reason, count(*) AS n FROM ${ident(REJECTS_TABLE)}
GROUP BY table_name, code, field ORDER BY table_name, n DESC, code, field`,
  );
}

/** Every reject of this ingest, as the rejects file has them (no bound parameters, see `Engine.exportCsv`). */
export function rejectsFileSql(spreadsheet = true): SqlFragment {
  // The source record and the field names and file names come from the input: guarded against formulas (--raw: as read).
  const text = (column: string) => textCell(ident(column), spreadsheet);
  return sql`SELECT ${text("table_name")} AS "table", ${text("source_file")} AS file, line, record, column_index AS "column",
  ${text("field")} AS field, code, ${text("reason")} AS reason, ${text("source_record")} AS source_record
FROM ${ident(REJECTS_TABLE)} ORDER BY table_pos, coalesce(line, record), record, column_index, code`;
}
