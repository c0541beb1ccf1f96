import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, type SqlFragment, sql } from "../fragment.js";
import { REJECTS_TABLE } from "../ingest/rejects.js";
import { col, select } from "../row.js";

/**
 * Stage the items of one events request as the ingest's readers stage a
 * file: a temp table `<stage>_raw` of text columns `c1 … cN` and `__rec`
 * (1-based item number), and the stage view over it that the ingest's
 * validation reads. Every value is a bound parameter.
 */
export function stageEventsSql(
  d: Dialect,
  stage: string,
  columns: number,
  items: readonly (readonly (string | null)[])[],
): SqlFragment[] {
  const rows = items.map(
    (item, i) =>
      sql`(${join(
        Array.from({ length: columns }, (_, c) => sql`CAST(${item[c] ?? null} AS VARCHAR)`),
      )}, CAST(${integer(i + 1)} AS BIGINT))`,
  );
  const names = [...Array.from({ length: columns }, (_, c) => ident(`c${c + 1}`)), ident("__rec")];
  const raw = `${stage}_raw`;
  return [
    sql`DROP VIEW IF EXISTS ${ident(stage)}`,
    ...d.createTempTable(raw, sql`AS SELECT * FROM (VALUES ${join(rows)}) v (${join(names)})`),
    sql`CREATE TEMP VIEW ${ident(stage)} AS SELECT * FROM ${ident(raw)}`,
  ];
}

/** The first reject of the request (by item, then column): its item number, field, code and reason. */
export function firstRejectSql() {
  return select(
    { record: col.nullable(col.integer), field: col.nullable(col.text), code: col.text, reason: col.text },
    sql`SELECT record, field, code, reason FROM ${ident(REJECTS_TABLE)} ORDER BY record, column_index, code LIMIT 1`,
  );
}
