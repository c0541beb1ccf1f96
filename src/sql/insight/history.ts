import { ident, integer, raw, type SqlFragment, sql } from "../fragment.js";
import { col, type RowOf, select } from "../row.js";
import { latestFirst } from "../run/run-order.js";

/** Queries over stored runs for `history` and `migrations`: set-based, one statement each. */

/**
 * Every tier change of one entity: per scheme the entity was ever graded in,
 * each run of that scheme in as-of order (then run id) with the entity's tier
 * (NULL where it has no grade: out of scope) and the tier of the previous
 * run (LAG); only rows where the tier differs are returned. The first run in
 * which it is graded has no previous tier ("entered").
 */
export function entityHistorySql(entityId: string, scheme: string | undefined) {
  const only = scheme === undefined ? raw("") : sql` AND s.scheme = ${scheme}`;
  const graded = sql`SELECT DISTINCT s2.scheme FROM ${ident("tw_grades")} g2
    JOIN ${ident("tw_run_schemes")} s2 ON s2.run_id = g2.run_id AND s2.scheme_no = g2.scheme_no WHERE g2.entity_id = ${entityId}`;
  const order = raw("PARTITION BY x.scheme ORDER BY x.as_of, x.run_id");
  return select(
    {
      run_id: col.integer,
      as_of: col.date,
      scheme: col.text,
      kind: col.text,
      prev_tier: col.nullable(col.text),
      prev_rank: col.nullable(col.integer),
      tier: col.nullable(col.text),
      tier_rank: col.nullable(col.integer),
      rule_id: col.nullable(col.text),
      score: col.nullable(col.number),
    },
    sql`WITH x AS (
  SELECT r.run_id, r.as_of, s.scheme, s.scheme_no, s.kind FROM ${ident("tw_runs")} r
  JOIN ${ident("tw_run_schemes")} s ON s.run_id = r.run_id
  WHERE s.scheme IN (${graded})${only}
), seq AS (
  SELECT x.run_id, CAST(x.as_of AS VARCHAR) AS as_of, x.as_of AS as_of_date, x.scheme, x.kind, g.tier_rank, t.tier, rr.rule_id, g.score,
    LAG(t.tier) OVER (${order}) AS prev_tier, LAG(g.tier_rank) OVER (${order}) AS prev_rank
  FROM x
  LEFT JOIN ${ident("tw_grades")} g ON g.run_id = x.run_id AND g.scheme_no = x.scheme_no AND g.entity_id = ${entityId}
  LEFT JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
  LEFT JOIN ${ident("tw_run_rules")} rr ON rr.run_id = g.run_id AND rr.scheme_no = g.scheme_no AND rr.rule_no = g.rule_no
)
SELECT run_id, as_of, scheme, kind, prev_tier, prev_rank, tier, tier_rank, rule_id, score FROM seq
WHERE tier IS DISTINCT FROM prev_tier
ORDER BY as_of_date, run_id, scheme`,
  );
}

/** The runs that contain a scheme, latest first (run-order.ts): run id, as-of, the scheme's number and kind in that run. */
export function runsOfSchemeSql(scheme: string) {
  return select(
    runOfSchemeShape,
    sql`SELECT r.run_id, CAST(r.as_of AS VARCHAR) AS as_of, s.scheme_no, s.kind, r.policy_text FROM ${ident("tw_runs")} r
  JOIN ${ident("tw_run_schemes")} s ON s.run_id = r.run_id WHERE s.scheme = ${scheme} ORDER BY ${latestFirst("r")}`,
  );
}

/** A run that contains a scheme: the scheme's number and kind in it, and the run's recorded policy. */
export type RunOfSchemeRow = RowOf<typeof runOfSchemeShape>;
const runOfSchemeShape = {
  run_id: col.integer,
  as_of: col.date,
  scheme_no: col.integer,
  kind: col.text,
  policy_text: col.text,
} as const;

export interface SchemeInRun {
  readonly runId: number;
  readonly schemeNo: number;
}

/** One scheme's grades in two runs, outer-joined by entity: from rank, to rank (NULL = out of scope). */
function pairsSql(from: SchemeInRun, to: SchemeInRun): SqlFragment {
  const side = (s: SchemeInRun) =>
    sql`SELECT entity_id, tier_rank, score, rule_no, revenue FROM ${ident("tw_grades")}
    WHERE run_id = ${integer(s.runId)} AND scheme_no = ${integer(s.schemeNo)}`;
  return sql`SELECT coalesce(a.entity_id, b.entity_id) AS entity_id, a.tier_rank AS from_rank, b.tier_rank AS to_rank,
    a.score AS from_score, b.score AS to_score, b.rule_no AS to_rule, b.revenue AS revenue
  FROM (${side(from)}) a FULL OUTER JOIN (${side(to)}) b ON b.entity_id = a.entity_id`;
}

/** The from → to matrix: per (from rank, to rank) the entities and the revenue of the `to` run. */
export function migrationMatrixSql(from: SchemeInRun, to: SchemeInRun) {
  return select(
    {
      from_rank: col.nullable(col.integer),
      to_rank: col.nullable(col.integer),
      entities: col.integer,
      revenue: col.amount,
    },
    sql`SELECT p.from_rank, p.to_rank, count(*) AS entities, COALESCE(sum(p.revenue), 0) AS revenue
  FROM (${pairsSql(from, to)}) p GROUP BY p.from_rank, p.to_rank ORDER BY p.from_rank, p.to_rank`,
  );
}

/** Entities whose rank changed (both runs graded them), by revenue of the `to` run (then id), with the new rule id. */
export function migrationMoversSql(from: SchemeInRun, to: SchemeInRun, limit: number) {
  return select(
    {
      entity_id: col.text,
      from_rank: col.integer,
      to_rank: col.integer,
      from_score: col.nullable(col.number),
      to_score: col.nullable(col.number),
      revenue: col.nullable(col.amount),
      rule_id: col.nullable(col.text),
    },
    sql`SELECT p.entity_id, p.from_rank, p.to_rank, p.from_score, p.to_score, p.revenue, rr.rule_id
  FROM (${pairsSql(from, to)}) p
  LEFT JOIN ${ident("tw_run_rules")} rr ON rr.run_id = ${integer(to.runId)} AND rr.scheme_no = ${integer(to.schemeNo)} AND rr.rule_no = p.to_rule
  WHERE p.from_rank <> p.to_rank
  ORDER BY p.revenue DESC NULLS LAST, p.entity_id LIMIT ${integer(Math.max(0, Math.trunc(limit)))}`,
  );
}

/** A run's tier names by rank for one scheme. */
export function runTiersSql(s: SchemeInRun) {
  return select(
    { tier_rank: col.integer, tier: col.text },
    sql`SELECT tier_rank, tier FROM ${ident("tw_run_tiers")}
  WHERE run_id = ${integer(s.runId)} AND scheme_no = ${integer(s.schemeNo)} ORDER BY tier_rank`,
  );
}
