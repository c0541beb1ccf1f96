import { ident, integer, sql } from "../fragment.js";
import { col, type RowOf, select } from "../row.js";
import { latestFirst } from "../run/run-order.js";

/** The latest run without its policy text (read only when its plan is not cached): run_id, as_of, policy_hash. */
export function latestRunHeadSql() {
  return select(
    { run_id: col.integer, as_of: col.date, policy_hash: col.text },
    sql`SELECT run_id, CAST(as_of AS VARCHAR) AS as_of, policy_hash FROM ${ident("tw_runs")} ORDER BY ${latestFirst()} LIMIT 1`,
  );
}

/** A run's recorded policy text. */
export function policyTextSql(runId: number) {
  return select(
    { policy_text: col.text },
    sql`SELECT policy_text FROM ${ident("tw_runs")} WHERE run_id = ${integer(runId)}`,
  );
}

/**
 * One customer's grades in the customer-facing customer schemes of a run,
 * with the lifecycle's pending move: nothing of an internal scheme is read.
 */
const memberGradeShape = {
  scheme: col.text,
  tier: col.text,
  score: col.nullable(col.number),
  life_state: col.nullable(col.text),
  pending_tier: col.nullable(col.text),
  due_on: col.nullable(col.date),
  below_count: col.nullable(col.integer),
} as const;

/** One row of memberGradesSql. */
export type MemberGradeRow = RowOf<typeof memberGradeShape>;

export function memberGradesSql(runId: number, customerId: string) {
  return select(
    memberGradeShape,
    sql`SELECT s.scheme, t.tier, g.score, g.life_state, p.tier AS pending_tier, CAST(g.due_on AS VARCHAR) AS due_on, g.below_count
  FROM ${ident("tw_grades")} g
  JOIN ${ident("tw_run_schemes")} s ON s.run_id = g.run_id AND s.scheme_no = g.scheme_no
  JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
  LEFT JOIN ${ident("tw_run_tiers")} p ON p.run_id = g.run_id AND p.scheme_no = g.scheme_no AND p.tier_rank = g.pending_rank
  WHERE g.run_id = ${integer(runId)} AND g.entity_id = ${customerId}
    AND s.visibility = 'customer-facing' AND s.entity = 'customers'
  ORDER BY g.scheme_no`,
  );
}
