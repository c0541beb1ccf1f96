import type { TableDef } from "../../model/index.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, join, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * Merging good rows into a store table by natural key: new keys are
 * inserted, known keys with any changed column are updated, identical rows
 * are left alone (so re-ingesting the same file changes nothing).
 */

const names = (table: TableDef) => table.columns.map((c) => c.name);

/**
 * How known keys are merged: by default every non-key column is compared
 * and overwritten; a derived table (`from:`) touches only the columns it
 * `derives`, and its `earliest` columns only ever move earlier.
 */
export interface MergeRule {
  readonly derives?: readonly string[];
  readonly earliest?: readonly string[];
}

/** The incoming value a store row would get for column `n`. */
function incoming(n: string, rule: MergeRule, store: SqlFragment): SqlFragment {
  return rule.earliest?.includes(n) ? sql`least(${store}, c.${ident(n)})` : sql`c.${ident(n)}`;
}

const merged = (table: TableDef, rule: MergeRule) =>
  names(table).filter((n) => !table.key.includes(n) && (rule.derives === undefined || rule.derives.includes(n)));

/** Classify each good row as new (0), unchanged (1) or changed (2). */
export function classifySql(
  d: Dialect,
  table: TableDef,
  checked: string,
  classified: string,
  rule: MergeRule = {},
): SqlFragment[] {
  const on = join(
    table.key.map((k) => sql`t.${ident(k)} = c.${ident(k)}`),
    " AND ",
  );
  const columns = merged(table, rule);
  const differs = columns.length
    ? join(
        columns.map((n) => sql`t.${ident(n)} IS DISTINCT FROM ${incoming(n, rule, sql`t.${ident(n)}`)}`),
        " OR ",
      )
    : sql`false`;
  const firstKey = ident(table.key[0] ?? "");
  return d.createTempTable(
    classified,
    sql`AS
SELECT c.*, CASE WHEN t.${firstKey} IS NULL THEN 0 WHEN ${differs} THEN 2 ELSE 1 END AS __class
FROM ${ident(checked)} c LEFT JOIN ${ident(table.name)} t ON ${on}
WHERE c.__err IS NULL`,
  );
}

/** Insert rows classified as new (or every good row when the store table was empty). */
export function insertNewSql(table: TableDef, source: string, onlyNew: boolean): SqlFragment {
  const cols = join(names(table).map((n) => ident(n)));
  const where = onlyNew ? sql`__class = 0` : sql`__err IS NULL`;
  return sql`INSERT INTO ${ident(table.name)} (${cols}) SELECT ${cols} FROM ${ident(source)} WHERE ${where}`;
}

/** Overwrite store rows whose incoming row changed. */
export function updateChangedSql(table: TableDef, classified: string, rule: MergeRule = {}): SqlFragment {
  const set = join(merged(table, rule).map((n) => sql`${ident(n)} = ${incoming(n, rule, ident(table.name, n))}`));
  const on = join(
    table.key.map((k) => sql`${ident(table.name)}.${ident(k)} = c.${ident(k)}`),
    " AND ",
  );
  return sql`UPDATE ${ident(table.name)} SET ${set} FROM ${ident(classified)} c WHERE c.__class = 2 AND ${on}`;
}

export function classCountsSql(classified: string) {
  return select(
    { inserted: col.integer, unchanged: col.integer, updated: col.integer },
    sql`SELECT count(*) FILTER (WHERE __class = 0) AS inserted, count(*) FILTER (WHERE __class = 1) AS unchanged,
  count(*) FILTER (WHERE __class = 2) AS updated FROM ${ident(classified)}`,
  );
}
