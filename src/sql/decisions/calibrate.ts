import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";

/** What a share is measured in: customers (each counts 1) or their revenue. */
export type ShareMeasure = "customers" | "revenue";

const weight = (by: ShareMeasure) => raw(by === "customers" ? "1" : "COALESCE(g.revenue, 0)");

/** Entities and revenue of a grades table in all, and per current tier rank (null: not graded). */
export function distributionSql(grades: string): SqlFragment {
  return sql`SELECT g.tier_rank, count(*) AS entities, COALESCE(sum(g.revenue), 0) AS revenue
  FROM ${ident(grades)} g GROUP BY g.tier_rank`;
}

/**
 * The highest metric value whose cumulative measure (that of every entity at
 * or above it, ties included: the window's default RANGE frame counts peers)
 * reaches `target`. No row when even the lowest value does not.
 */
export function quantileThresholdSql(grades: string, by: ShareMeasure, target: number): SqlFragment {
  return sql`SELECT max(x.score) AS v FROM (
    SELECT g.score, sum(${weight(by)}) OVER (ORDER BY g.score DESC) AS cum FROM ${ident(grades)} g WHERE g.score IS NOT NULL
  ) x WHERE x.cum >= ${target}`;
}

/** The lowest metric value (for a target every valued entity is needed for). */
export function lowestValueSql(grades: string): SqlFragment {
  return sql`SELECT min(g.score) AS v FROM ${ident(grades)} g`;
}

/** The lowest metric value above `floor` (no row value when none is): the least a bound above the floor can take. */
export function lowestAboveSql(grades: string, floor: number): SqlFragment {
  return sql`SELECT min(g.score) AS v FROM ${ident(grades)} g WHERE g.score > ${floor}`;
}

/**
 * For each bound (value, inclusive or not): the customers and revenue at or
 * above it (`n_i`, `r_i`). One scan for every candidate.
 */
export function cumulativeSql(
  grades: string,
  bounds: readonly { readonly value: number; readonly inclusive: boolean }[],
): SqlFragment {
  const cols = bounds.flatMap((b, i) => {
    const test = b.inclusive ? sql`g.score >= ${b.value}` : sql`g.score > ${b.value}`;
    return [
      sql`COALESCE(sum(CASE WHEN ${test} THEN 1 ELSE 0 END), 0) AS ${ident(`n_${i}`)}`,
      sql`COALESCE(sum(CASE WHEN ${test} THEN COALESCE(g.revenue, 0) ELSE 0 END), 0) AS ${ident(`r_${i}`)}`,
    ];
  });
  return sql`SELECT count(*) AS n${cols.length > 0 ? sql`, ${join(cols)}` : raw("")} FROM ${ident(grades)} g`;
}
