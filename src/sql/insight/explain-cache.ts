import type { CompiledScheme } from "../compile/compile-run.js";
import { ident, integer, join, type SqlFragment, sql } from "../fragment.js";
import { records } from "../row.js";
import { assignmentsOfEntitySql } from "../run/records.js";
import { createTempSql } from "../run/snapshot.js";

/** A scheme's explanation rows for every entity of its population (`explainAll`), as a temp table. */
export function createSchemeExplainSql(table: string, s: CompiledScheme): SqlFragment[] {
  return createTempSql(table, s.explainAll);
}

/** The columns of a scheme's explain row that explain reads: the score and the values e_1 …, x_1 …. */
export function explainColumns(s: CompiledScheme): string[] {
  const direct = s.explainLabels.length - s.explainFromCount;
  return [
    "score",
    ...Array.from({ length: direct }, (_, k) => `e_${k + 1}`),
    ...Array.from({ length: s.explainFromCount }, (_, k) => `x_${k + 1}`),
  ];
}

/** The column of the wide table holding scheme `k`'s column `c`; `s{k}_in` says the entity has a row. */
export const wideColumn = (k: number, c: string) => `s${k}_${c}`;

/**
 * One row per customer with every scheme's explain columns side by side
 * (from the per-scheme tables): one lookup per explanation. Written in id
 * order, so DuckDB's zone maps skip every row group but the id's (its ART
 * index is not used for such a lookup: a scan of a 1M-row table in join
 * order took ~20 ms, in id order ~3 ms); PostgreSQL reads the index.
 */
export function createWideExplainSql(
  table: string,
  schemes: readonly { readonly table: string; readonly columns: readonly string[] }[],
): SqlFragment[] {
  const cols = schemes.flatMap((s, i) => [
    sql`${ident(`t${i + 1}`)}.entity_id IS NOT NULL AS ${ident(wideColumn(i + 1, "in"))}`,
    ...s.columns.map((c) => sql`${ident(`t${i + 1}`)}.${ident(c)} AS ${ident(wideColumn(i + 1, c))}`),
  ]);
  const joins = schemes.map(
    (s, i) =>
      sql` LEFT JOIN ${ident(s.table)} ${ident(`t${i + 1}`)} ON ${ident(`t${i + 1}`)}.entity_id = c.customer_id`,
  );
  return [
    ...createTempSql(
      table,
      sql`SELECT c.customer_id AS entity_id${cols.length ? sql`, ${join(cols)}` : sql``} FROM ${ident("customers")} c${join(joins, "")}
  ORDER BY c.customer_id`,
    ),
    sql`CREATE INDEX ${ident(`${table}_entity`)} ON ${ident(table)} (entity_id)`,
  ];
}

/**
 * One customer's row of the wide table with each of their rows of the
 * grades table beside it (one statement: a row per grade, the wide columns
 * repeated; one row with NULL grade columns when the run did not grade them;
 * none when the id is no customer's).
 */
export function explainLookupSql(wide: string, assigned: string, entityId: string) {
  return records(sql`SELECT w.*, a.scheme, a.tier, a.tier_rank, a.score, a.rule_id, a.natural_tier, a.flags, a.qualified_tier,
  a.life_state, a.pending_tier, a.due_on, a.entered_on, a.below_count
  FROM ${ident(wide)} w LEFT JOIN (SELECT * FROM ${ident(assigned)} WHERE entity_id = ${entityId}) a ON TRUE
  WHERE w.entity_id = ${entityId}`);
}

/** A grade of `explainLookupSql`'s row, decoded as `assignmentsOfEntitySql` decodes tw_assignments. */
export const decodeAssigned = assignmentsOfEntitySql(0, "").decode;

/** The run's grades of every customer (tw_assignments), as a temp table indexed by id. */
export function createAssignedSql(table: string, runId: number): SqlFragment[] {
  return [
    ...createTempSql(
      table,
      sql`SELECT a.* FROM ${ident("tw_assignments")} a JOIN ${ident("customers")} c ON c.customer_id = a.entity_id
  WHERE a.run_id = ${integer(runId)} ORDER BY a.entity_id`,
    ),
    sql`CREATE INDEX ${ident(`${table}_entity`)} ON ${ident(table)} (entity_id)`,
  ];
}
