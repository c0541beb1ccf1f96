import type { CompiledScheme } from "../compile/compile-run.js";
import { CUTOFFS_TABLE } from "../compile/cutoffs.js";
import { ident, integer, join, type SqlFragment, sql } from "../fragment.js";
import { col, type RowOf, select } from "../row.js";
import { lastEventIdSql } from "../run/runs.js";
import { overriddenGradesSql, ruleIds } from "../run/snapshot.js";

const LIVE = ident("tw_live_grades");

/** The schemes of a run that stored cut-offs. */
export function cutoffSchemesSql(runId: number) {
  return select(
    { scheme: col.text },
    sql`SELECT DISTINCT scheme FROM ${ident(CUTOFFS_TABLE)} WHERE run_id = ${integer(runId)}`,
  );
}

/**
 * One customer's grades by schemes graded alone (after lifecycle and the
 * overrides in force, as the snapshot writes them), one row per scheme that
 * gives the customer a tier (`no`: the scheme's index in `schemes`; none
 * when it is outside the population or has no tier). One statement: the
 * run's facts, grades and lifecycle relations are CTEs named as the temp
 * tables a run builds (`facts`: the compiled facts query cut to the
 * customer, computed once; `lifecycles[i]`: the lifecycle statement of
 * scheme i, when it has one).
 */
export function liveGradesSql(
  schemes: readonly CompiledScheme[],
  asOf: string,
  facts: { readonly table: string; readonly query: SqlFragment },
  lifecycles: readonly (SqlFragment | undefined)[],
) {
  const ctes: SqlFragment[] = [sql`${ident(facts.table)} AS MATERIALIZED (${facts.query})`];
  const bodies = schemes.map((s, i) => {
    const tier = sql`CASE x.final_rank${join(
      s.plan.tiers.map((t, k) => sql` WHEN ${integer(k + 1)} THEN ${t}`),
      "",
    )} END`;
    const rule = sql`CASE CASE WHEN x.final_rank <> x.tier_rank THEN x.override_rule ELSE x.natural_rule END${join(
      ruleIds(s.plan).map((r) => sql` WHEN ${integer(r.no)} THEN ${r.id}`),
      "",
    )} END`;
    const lifecycle = lifecycles[i];
    ctes.push(sql`${ident(s.gradesTable)} AS (${s.grades})`);
    if (lifecycle) ctes.push(sql`${ident(s.lifecycleTable)} AS (${lifecycle})`);
    const life = lifecycle !== undefined;
    return sql`SELECT ${integer(i)} AS no, ${tier} AS tier, x.final_rank AS tier_rank, CAST(x.score AS DOUBLE PRECISION) AS score,
    ${rule} AS rule_id, ${life ? sql`x.life_state` : sql`CAST(NULL AS VARCHAR)`} AS life_state,
    ${life ? sql`CAST(x.due_on AS VARCHAR)` : sql`CAST(NULL AS VARCHAR)`} AS due_on
  FROM (${overriddenGradesSql(s, asOf)}) x`;
  });
  return select(
    {
      no: col.integer,
      tier: col.text,
      tier_rank: col.integer,
      score: col.nullable(col.number),
      rule_id: col.nullable(col.text),
      life_state: col.nullable(col.text),
      due_on: col.nullable(col.date),
    },
    sql`WITH ${join(ctes)} ${join(bodies, " UNION ALL ")}`,
  );
}

/** A customer's grades now: per scheme of the run, the live grade made since it where there is one, else the run's. */
export type CurrentGradeRow = RowOf<typeof currentShape>;
const currentShape = {
  scheme: col.text,
  tier: col.nullable(col.text),
  tier_rank: col.nullable(col.integer),
  score: col.nullable(col.number),
  rule_id: col.nullable(col.text),
  life_state: col.nullable(col.text),
  due_on: col.nullable(col.date),
  live: col.boolean,
  made_at: col.nullable(col.timestamp),
  event_table: col.nullable(col.text),
  event_id: col.nullable(col.text),
  cutoffs_run: col.nullable(col.integer),
  as_of: col.nullable(col.date),
} as const;

export function currentGradesSql(runId: number, customerId: string) {
  const run = integer(runId);
  const tiers = ident("tw_run_tiers");
  // Straight from tw_grades (one run, one entity) rather than through the tw_assignments view.
  const runGrades = sql`SELECT g.scheme_no, t.tier, g.tier_rank, g.score, u.rule_id, g.life_state, g.due_on
    FROM ${ident("tw_grades")} g
    JOIN ${tiers} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
    JOIN ${ident("tw_run_rules")} u ON u.run_id = g.run_id AND u.scheme_no = g.scheme_no AND u.rule_no = g.rule_no
    WHERE g.run_id = ${run} AND g.entity_id = ${customerId}`;
  return select(
    currentShape,
    sql`SELECT s.scheme, l.scheme IS NOT NULL AS live,
    CASE WHEN l.scheme IS NULL THEN a.tier ELSE l.tier END AS tier,
    CASE WHEN l.scheme IS NULL THEN a.tier_rank ELSE l.tier_rank END AS tier_rank,
    CAST(CASE WHEN l.scheme IS NULL THEN a.score ELSE l.score END AS DOUBLE PRECISION) AS score,
    CASE WHEN l.scheme IS NULL THEN a.rule_id ELSE l.rule_id END AS rule_id,
    CASE WHEN l.scheme IS NULL THEN a.life_state ELSE l.life_state END AS life_state,
    CASE WHEN l.scheme IS NULL THEN CAST(a.due_on AS VARCHAR) ELSE CAST(l.due_on AS VARCHAR) END AS due_on,
    CAST(l.made_at AS VARCHAR) AS made_at, l.event_table, l.event_id, l.cutoffs_run, CAST(l.as_of AS VARCHAR) AS as_of
  FROM ${ident("tw_run_schemes")} s
  LEFT JOIN (${runGrades}) a ON a.scheme_no = s.scheme_no
  LEFT JOIN ${LIVE} l ON l.base_run = s.run_id AND l.scheme = s.scheme AND l.customer_id = ${customerId}
  WHERE s.run_id = ${run} AND s.entity = 'customers' AND (a.scheme_no IS NOT NULL OR l.scheme IS NOT NULL)
  ORDER BY s.scheme_no`,
  );
}

/** One live grade row of tw_live_grades. */
export interface LiveGradeRow {
  readonly scheme: string;
  readonly tier: string | null;
  readonly tierRank: number | null;
  readonly score: number | null;
  readonly ruleId: string | null;
  readonly lifeState: string | null;
  readonly dueOn: string | null;
  readonly cutoffsRun: number | null;
}

/** Replace the customer's live grades by these schemes on top of a run (one DELETE, one INSERT). */
export function upsertLiveGradesSql(
  customerId: string,
  baseRun: number,
  asOf: string,
  event: { readonly table: string; readonly id: string; readonly madeAt: string },
  rows: readonly LiveGradeRow[],
): SqlFragment[] {
  if (rows.length === 0) return [];
  const values = rows.map(
    (g) => sql`(${customerId}, ${g.scheme}, ${integer(baseRun)}, CAST(${asOf} AS DATE), CAST(${g.tier} AS VARCHAR),
    CAST(${g.tierRank} AS INTEGER), CAST(${g.score} AS DOUBLE PRECISION), CAST(${g.ruleId} AS VARCHAR),
    CAST(${g.lifeState} AS VARCHAR), CAST(${g.dueOn} AS DATE), CAST(${event.madeAt} AS TIMESTAMP), ${event.table}, ${event.id},
    CAST(${g.cutoffsRun} AS BIGINT))`,
  );
  return [
    sql`DELETE FROM ${LIVE} WHERE customer_id = ${customerId} AND base_run = ${integer(baseRun)} AND scheme IN (${join(rows.map((g) => sql`${g.scheme}`))})`,
    sql`INSERT INTO ${LIVE} (customer_id, scheme, base_run, as_of, tier, tier_rank, score, rule_id, life_state, due_on, made_at,
    event_table, event_id, cutoffs_run) VALUES ${join(values)}`,
  ];
}

/**
 * A live tier change into the outbox: the row a run's tier change gets
 * (kind `tier_change`, the rule as reason), on the run the live grade
 * stands on, keyed by the event that made it.
 */
export function insertLiveTierChangeSql(e: {
  runId: number;
  asOf: string;
  scheme: string;
  customerId: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  key: string;
  createdAt: string;
}): SqlFragment {
  return sql`INSERT INTO ${ident("tw_events")} (event_id, run_id, as_of, scheme, entity_id, from_tier, to_tier, kind, idempotency_key, created_at, reason)
  SELECT (${lastEventIdSql()}) + 1, ${integer(e.runId)}, CAST(${e.asOf} AS DATE), ${e.scheme}, ${e.customerId},
    CAST(${e.from} AS VARCHAR), CAST(${e.to} AS VARCHAR), 'tier_change', ${e.key}, CAST(${e.createdAt} AS TIMESTAMP),
    CAST(${e.reason} AS VARCHAR)`;
}

/** The live grades made on top of a run for one customer, by scheme. */
export function liveGradesOfSql(runId: number, customerId: string) {
  return select(
    {
      scheme: col.text,
      tier: col.nullable(col.text),
      as_of: col.date,
      made_at: col.timestamp,
      event_table: col.text,
      event_id: col.text,
      cutoffs_run: col.nullable(col.integer),
    },
    sql`SELECT scheme, tier, CAST(as_of AS VARCHAR) AS as_of, CAST(made_at AS VARCHAR) AS made_at, event_table, event_id, cutoffs_run
  FROM ${LIVE} WHERE base_run = ${integer(runId)} AND customer_id = ${customerId}`,
  );
}

/**
 * The customers re-graded live on top of run `baseRun` at or after `since`,
 * with the latest event of each events table that did it: after a newer
 * full run that may not have seen those events, they are graded again.
 */
export function liveSinceSql(baseRun: number, since: string) {
  return select(
    { customer_id: col.text, event_table: col.text, event_id: col.text },
    sql`SELECT customer_id, event_table, event_id FROM (
    SELECT customer_id, event_table, event_id,
      row_number() OVER (PARTITION BY customer_id, event_table ORDER BY made_at DESC, event_id DESC) AS rn
    FROM ${LIVE} WHERE base_run = ${integer(baseRun)} AND made_at >= CAST(${since} AS TIMESTAMP)) AS l
  WHERE rn = 1 ORDER BY customer_id, event_table`,
  );
}
