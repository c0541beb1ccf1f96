import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { toDouble } from "./kinds/common.js";
import type { SchemeSql } from "./scheme.js";

/**
 * Cut-offs: how a population-relative scheme (pareto, quantiles, rfm,
 * scorecard graded by top share) grades one entity alone. A full run stores,
 * per scheme, the value each tier (or score step) starts at in that run's
 * population (`tw_cutoffs`: run_id, scheme, part, step, value); graded
 * alone, an entity's value is compared with them. Every ranking is monotone
 * in its value with ties sharing a tier, so applied to the run's own
 * population the cut-offs give exactly the run's tiers.
 */
export const CUTOFFS_TABLE = "tw_cutoffs";

/** The stored cut-off of `part` at `step` for the scheme being compiled alone (NULL when that step was empty). */
export function cutoff(s: SchemeSql, part: string, step: number): SqlFragment {
  const run = s.run.live?.cutoffsRun ?? 0;
  return sql`(SELECT c.value FROM ${ident(CUTOFFS_TABLE)} c WHERE c.run_id = ${integer(run)} AND c.scheme = ${s.scheme.name}
    AND c.part = ${part} AND c.step = ${integer(step)})`;
}

/**
 * The first step from `first` towards `last` whose cut-off the value
 * reaches (`>=`, or `<=` where smaller is better), else `otherwise`.
 */
export function stepByCutoffs(
  s: SchemeSql,
  part: string,
  value: SqlFragment,
  steps: readonly number[],
  otherwise: number,
  smallerIsBetter = false,
): SqlFragment {
  const op = raw(smallerIsBetter ? "<=" : ">=");
  const whens = steps.map((k) => sql` WHEN ${toDouble(value)} ${op} ${cutoff(s, part, k)} THEN ${integer(k)}`);
  return whens.length === 0 ? integer(otherwise) : sql`CASE${join(whens, "")} ELSE ${integer(otherwise)} END`;
}

/** Tiers 1 … n−1 by the lowest score each held in the run; below them all, the last tier `n`. */
export function rankByScoreCutoffs(s: SchemeSql, value: SqlFragment, tiers: number): SqlFragment {
  return stepByCutoffs(
    s,
    "score",
    value,
    Array.from({ length: tiers - 1 }, (_, i) => i + 1),
    tiers,
  );
}

/** The cut-offs of kinds that store `score`: the lowest score of each tier in a run's fresh grades. */
export function scoreCutoffsSql(gradesTable: string): SqlFragment {
  return sql`SELECT 'score' AS part, tier_rank AS step, ${toDouble(raw("min(score)"))} AS value FROM ${ident(gradesTable)}
    WHERE score IS NOT NULL AND tier_rank IS NOT NULL GROUP BY tier_rank`;
}
