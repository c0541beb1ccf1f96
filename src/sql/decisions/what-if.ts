import type { CompiledScheme } from "../compile/compile-run.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { overriddenGradesSql } from "../run/snapshot.js";
import { textCell } from "../spreadsheet-safe.js";

/** The two sides of a what-if: the current and the proposed policy's grades. */
export type WhatIfSide = "current" | "proposed";

export const WHAT_IF_TABLES: Readonly<Record<WhatIfSide, string>> = {
  current: "tw_whatif_current",
  proposed: "tw_whatif_proposed",
};

/** An empty temp table for one side's grades: scheme, entity, tier (rank and name), revenue. */
export function createWhatIfTableSql(d: Dialect, side: WhatIfSide): SqlFragment[] {
  const table = ident(WHAT_IF_TABLES[side]);
  return [
    sql`DROP TABLE IF EXISTS ${table}`,
    sql`CREATE TEMP TABLE ${table} (scheme VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, tier_rank INTEGER NOT NULL,
  tier VARCHAR NOT NULL, revenue ${raw(d.columnType("money"))})`,
  ];
}

/**
 * Copy one scheme's final grades (lifecycle and overrides applied, as a run would write them) into a
 * side's table, under `key` (the scheme's name, or the name of the pair it is compared in).
 */
export function insertWhatIfSql(
  side: WhatIfSide,
  s: CompiledScheme,
  asOfDate: string,
  key: string = s.plan.name,
): SqlFragment {
  const tier = sql`CASE x.final_rank${join(
    s.plan.tiers.map((t, i) => sql` WHEN ${integer(i + 1)} THEN CAST(${t} AS VARCHAR)`),
    "",
  )} END`;
  return sql`INSERT INTO ${ident(WHAT_IF_TABLES[side])} (scheme, entity_id, tier_rank, tier, revenue)
  SELECT CAST(${key} AS VARCHAR), x.entity_id, x.final_rank, ${tier}, x.revenue
  FROM (${overriddenGradesSql(s, asOfDate)}) x`;
}

/** Per scheme and tier rank of one side: entities and revenue. */
export function whatIfTotalsSql(side: WhatIfSide) {
  return select(
    { scheme: col.text, tier_rank: col.integer, entities: col.integer, revenue: col.amount },
    sql`SELECT scheme, tier_rank, count(*) AS entities, COALESCE(sum(revenue), 0) AS revenue
  FROM ${ident(WHAT_IF_TABLES[side])} GROUP BY scheme, tier_rank ORDER BY scheme, tier_rank`,
  );
}

const both = sql`${ident(WHAT_IF_TABLES.current)} a FULL OUTER JOIN ${ident(WHAT_IF_TABLES.proposed)} b
    ON b.scheme = a.scheme AND b.entity_id = a.entity_id`;

/**
 * The from → to matrix of every scheme: entities and revenue per (current
 * rank, proposed rank); a null rank is "not graded" on that side. Revenue is
 * the proposed side's (the current side's for entities it no longer grades).
 */
export function whatIfMatrixSql() {
  return select(
    {
      scheme: col.text,
      from_rank: col.nullable(col.integer),
      to_rank: col.nullable(col.integer),
      entities: col.integer,
      revenue: col.amount,
    },
    sql`SELECT m.scheme, m.from_rank, m.to_rank, count(*) AS entities, COALESCE(sum(m.revenue), 0) AS revenue
  FROM (SELECT COALESCE(a.scheme, b.scheme) AS scheme, a.tier_rank AS from_rank, b.tier_rank AS to_rank,
    COALESCE(b.revenue, a.revenue) AS revenue FROM ${both}) m
  GROUP BY m.scheme, m.from_rank, m.to_rank`,
  );
}

/**
 * Every entity whose tier (by name) differs between the sides, including
 * those graded on one side only, by scheme and entity id. No bound
 * parameters: engines stream it to a file with COPY.
 */
export function whatIfMoversSql(spreadsheet = true): SqlFragment {
  const text = (value: SqlFragment) => textCell(value, spreadsheet);
  return sql`SELECT ${text(sql`COALESCE(a.scheme, b.scheme)`)} AS scheme, ${text(sql`COALESCE(a.entity_id, b.entity_id)`)} AS entity_id,
    ${text(sql`a.tier`)} AS current_tier, ${text(sql`b.tier`)} AS proposed_tier, a.tier_rank AS current_rank, b.tier_rank AS proposed_rank,
    COALESCE(b.revenue, a.revenue) AS revenue
  FROM ${both}
  WHERE a.tier IS DISTINCT FROM b.tier
  ORDER BY COALESCE(a.scheme, b.scheme), COALESCE(a.entity_id, b.entity_id)`;
}
