import type { TablePlan } from "../../plan/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { type CompiledValidation, firstFailure, firstFailureOfRow } from "./validate.js";

/**
 * The checked table: one row per staged record with typed canonical columns,
 * `__err` (id of the first failed check, NULL when the row is good) and
 * `__arg` (a per-row detail for the reason, e.g. the first duplicate).
 */
export function createCheckedSql(
  d: Dialect,
  plan: TablePlan,
  v: CompiledValidation,
  checked: string,
  numberLinesByPosition: boolean,
): SqlFragment[] {
  const signed = plan.columns.find((c) => c.column.negativeOnCredit);
  const credit = signed ? creditKind(ident(`p_${signed.column.name}`)) : undefined;
  const columns = plan.columns.map((c) => {
    const value = ident(`p_${c.column.name}`);
    if (credit && c.column.name === "kind") return sql`${credit} AS ${ident("kind")}`;
    if (credit && c.column === signed?.column) {
      // A credit note's money is stored negative, however the file wrote it.
      return sql`CASE WHEN ${credit} = 'credit' THEN -abs(${value}) ELSE ${value} END AS ${ident(c.column.name)}`;
    }
    if (numberLinesByPosition && c.column.name === "line_no") {
      // Without a line number, a line is numbered by its position among its order's lines in the file.
      return sql`coalesce(CAST(${value} AS BIGINT), row_number() OVER (PARTITION BY p_order_id ORDER BY __rec)) AS ${ident(c.column.name)}`;
    }
    if (c.column.type === "integer") return sql`CAST(${value} AS BIGINT) AS ${ident(c.column.name)}`;
    if (c.column.type === "json") {
      // Cast only valid objects: one malformed value must be a reject, not a failed load.
      return sql`CASE WHEN ${d.isJsonObject(value)} THEN CAST(${value} AS ${raw(d.columnType("json"))}) END AS ${ident(c.column.name)}`;
    }
    return sql`${value} AS ${ident(c.column.name)}`;
  });
  return d.createTempTable(
    checked,
    sql`AS
SELECT __rec, ${firstFailureOfRow(v.groups)} AS __err, CAST(NULL AS BIGINT) AS __arg, ${join(columns)}
FROM (${v.parsed}) parsed`,
  );
}

/** The row's kind as stored: as written, or `credit` when empty and the money is negative, else `order`. */
function creditKind(money: SqlFragment): SqlFragment {
  return sql`coalesce(${ident("p_kind")}, CASE WHEN ${money} < 0 THEN 'credit' ELSE 'order' END)`;
}

/** The good rows (no check failed): column `n`. */
export function countGoodRowsSql(checked: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident(checked)} WHERE __err IS NULL`);
}

/** Keys that occur on more than one good row. */
export function countDuplicateKeysSql(plan: TablePlan, checked: string) {
  const key = join(plan.table.key.map((k) => ident(k)));
  return select(
    { n: col.integer },
    sql`SELECT count(*) AS n FROM (SELECT ${key} FROM ${ident(checked)} WHERE __err IS NULL GROUP BY ${key} HAVING count(*) > 1) d`,
  );
}

/** Mark every good row that repeats an earlier good row's key; the first stays. */
export function markDuplicatesSql(plan: TablePlan, checked: string, checkId: number): SqlFragment {
  const key = join(plan.table.key.map((k) => ident(k)));
  return sql`UPDATE ${ident(checked)} AS t SET __err = ${integer(checkId)}, __arg = d.first
FROM (SELECT __rec, min(__rec) OVER (PARTITION BY ${key}) AS first FROM ${ident(checked)} WHERE __err IS NULL) d
WHERE t.__rec = d.__rec AND d.__rec <> d.first`;
}

/** Mark good rows whose reference matches no row of the referenced store table. */
export function markUnknownReferencesSql(
  d: Dialect,
  checked: string,
  column: string,
  target: string,
  targetColumn: string,
  checkId: number,
): SqlFragment {
  return sql`UPDATE ${ident(checked)} SET __err = ${integer(checkId)}
WHERE __err IS NULL AND ${ident(column)} IS NOT NULL
  AND ${d.absentFrom(ident(checked, column), target, targetColumn)}`;
}

/**
 * Mark good rows whose reference to their own table (a credit note's
 * refunded order) matches neither a store row nor a good row of this load.
 */
export function markUnknownSelfReferencesSql(
  d: Dialect,
  checked: string,
  table: string,
  column: string,
  keyColumn: string,
  checkId: number,
  keys: string,
): SqlFragment[] {
  return [
    ...d.createTempTable(keys, sql`AS SELECT ${ident(keyColumn)} FROM ${ident(checked)} WHERE __err IS NULL`),
    sql`UPDATE ${ident(checked)} SET __err = ${integer(checkId)}
WHERE __err IS NULL AND ${ident(column)} IS NOT NULL
  AND ${d.absentFrom(ident(checked, column), table, keyColumn)} AND ${d.absentFrom(ident(checked, column), keys, keyColumn)}`,
  ];
}

/**
 * Every failed field check of the rejected rows (not only the first), as
 * (__rec, check_id) pairs; duplicate and reference rejects pass through.
 */
export function rowProblemsSql(v: CompiledValidation, checked: string): SqlFragment {
  const decided = [v.duplicate.id, ...v.references.map((r) => r.def.id)].map((id) => integer(id));
  const fieldChecks = v.checks.length
    ? sql`SELECT __rec, check_id FROM (
  SELECT __rec, unnest(ARRAY[${join(v.groups.map((g) => firstFailure(g.checks)))}]) AS check_id
  FROM (${v.parsed}) parsed
  WHERE __rec IN (SELECT __rec FROM ${ident(checked)} WHERE __err IS NOT NULL AND __err NOT IN (${join(decided)}))
) f WHERE check_id IS NOT NULL
UNION ALL `
    : raw("");
  return sql`${fieldChecks}SELECT __rec, __err AS check_id FROM ${ident(checked)} WHERE __err IN (${join(decided)})`;
}

/** Rows of the checked table that are rejected. */
export function countBadRowsSql(checked: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident(checked)} WHERE __err IS NOT NULL`);
}

/** Rows of a staged file whose text column (0-based index) is empty. */
export function countEmptySql(stageRaw: string, index: number) {
  const column = ident(`c${index + 1}`);
  return select(
    { n: col.integer },
    sql`SELECT count(*) AS n FROM ${ident(stageRaw)} WHERE ${column} IS NULL OR trim(${column}) = ''`,
  );
}
