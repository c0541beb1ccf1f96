import type { SchemePlan } from "../../plan/policy.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { lastEventIdSql } from "../run/runs.js";

/**
 * Notice events of a scheme's `notices:` (docs/policy.md, Notices) into the
 * outbox, one set-based INSERT each inside a run's snapshot transaction,
 * after the tier changes and alerts. Compared with the scheme's previous run
 * (the one its tier changes compare with), so a member who stays in the same
 * situation is told once:
 * - `notice:upgrade-approaching`: the metric is below the next tier's bound
 *   by at most the distance (`upgrade_within`: an amount, or a percentage of
 *   that bound) and was not so in the same tier at the previous run;
 * - `notice:downgrade-pending`: the lifecycle holds a downgrade back
 *   (`downgrade-pending`) and did not hold the same one at the previous run.
 * `from_tier` is the tier held, `to_tier` the tier approached or pending.
 */
export interface NoticeSqlOptions {
  readonly runId: number;
  readonly asOf: string;
  readonly createdAt: string;
  /** The run holding the scheme just before this one in the run order. */
  readonly previousRunId: number;
}

const double = (n: number): SqlFragment => sql`CAST(${n} AS DOUBLE PRECISION)`;

/** One run's grades of the scheme, with the lifecycle's held tier. */
function gradesOf(runId: number, scheme: string): SqlFragment {
  return sql`SELECT g.scheme_no, g.entity_id, g.tier_rank, COALESCE(g.natural_rank, g.tier_rank) AS held_rank, g.score,
    g.life_state, g.pending_rank, g.due_on FROM ${ident("tw_grades")} g
    JOIN ${ident("tw_run_schemes")} s ON s.run_id = g.run_id AND s.scheme_no = g.scheme_no
    WHERE g.run_id = ${integer(runId)} AND s.scheme = ${scheme}`;
}

function insert(kind: string, plan: SchemePlan, o: NoticeSqlOptions, rows: SqlFragment): SqlFragment {
  return sql`INSERT INTO ${ident("tw_events")} (event_id, run_id, as_of, scheme, entity_id, from_tier, to_tier, kind, idempotency_key, created_at, reason)
  SELECT (${lastEventIdSql()}) + row_number() OVER (ORDER BY a.entity_id),
    ${integer(o.runId)}, CAST(${o.asOf} AS DATE), CAST(${plan.name} AS VARCHAR), a.entity_id, a.from_tier, a.to_tier,
    CAST(${`notice:${kind}`} AS VARCHAR), CAST(${`${o.runId}:notice:${kind}:${plan.name}:`} AS VARCHAR) || a.entity_id,
    CAST(${o.createdAt} AS TIMESTAMP), a.reason
  FROM (${rows}) a`;
}

/** The upgrade-approaching notice: per tier below the top, the next tier's bound and the distance. */
function upgradeApproaching(plan: SchemePlan & { kind: "thresholds" }, o: NoticeSqlOptions): SqlFragment | undefined {
  const within = plan.notices?.upgradeWithin;
  if (within === undefined) return undefined;
  const steps = plan.bounds.flatMap((upper, i) => {
    const bound = upper.min ?? upper.above;
    if (bound === undefined || i + 1 >= plan.bounds.length) return [];
    const distance =
      within.kind === "amount" ? within.value : Number(((Math.abs(bound) * within.value) / 100).toPrecision(12));
    // A percentage of a bound of 0 leaves no distance: nothing to notice (not everyone at exactly 0).
    return distance > 0 ? [{ rank: i + 2, bound, distance, strict: upper.min !== undefined, tier: upper.tier }] : [];
  });
  if (steps.length === 0) return undefined;
  const near = (x: string) =>
    sql`CASE ${raw(x)}.tier_rank${join(
      steps.map(
        (s) =>
          sql` WHEN ${integer(s.rank)} THEN (${raw(x)}.score ${raw(s.strict ? "<" : "<=")} ${double(s.bound)} AND ${double(s.bound)} - ${raw(x)}.score <= ${double(s.distance)})`,
      ),
      "",
    )} ELSE FALSE END`;
  const reason = sql`CASE c.tier_rank${join(
    steps.map(
      (s) =>
        sql` WHEN ${integer(s.rank)} THEN CAST(${`upgrade approaching: within ${s.distance} of ${s.tier}`} AS VARCHAR)`,
    ),
    "",
  )} END`;
  const rows = sql`SELECT c.entity_id, t.tier AS from_tier, u.tier AS to_tier, ${reason} AS reason
    FROM (${gradesOf(o.runId, plan.name)}) c
    JOIN ${ident("tw_run_tiers")} t ON t.run_id = ${integer(o.runId)} AND t.scheme_no = c.scheme_no AND t.tier_rank = c.tier_rank
    JOIN ${ident("tw_run_tiers")} u ON u.run_id = ${integer(o.runId)} AND u.scheme_no = c.scheme_no AND u.tier_rank = c.tier_rank - 1
    LEFT JOIN (${gradesOf(o.previousRunId, plan.name)}) p ON p.entity_id = c.entity_id
    WHERE c.score IS NOT NULL AND ${near("c")} AND NOT COALESCE(p.tier_rank = c.tier_rank AND ${near("p")}, FALSE)`;
  return insert("upgrade-approaching", plan, o, rows);
}

/** The downgrade-pending notice: a pending downgrade not already pending (to the same tier) at the previous run. */
function downgradePending(plan: SchemePlan, o: NoticeSqlOptions): SqlFragment | undefined {
  if (!plan.notices?.downgradePending) return undefined;
  const rows = sql`SELECT c.entity_id, t.tier AS from_tier, pt.tier AS to_tier,
      COALESCE(CAST(${"downgrade pending: due on "} AS VARCHAR) || CAST(c.due_on AS VARCHAR), CAST(${"downgrade pending"} AS VARCHAR)) AS reason
    FROM (${gradesOf(o.runId, plan.name)}) c
    JOIN ${ident("tw_run_tiers")} t ON t.run_id = ${integer(o.runId)} AND t.scheme_no = c.scheme_no AND t.tier_rank = c.held_rank
    JOIN ${ident("tw_run_tiers")} pt ON pt.run_id = ${integer(o.runId)} AND pt.scheme_no = c.scheme_no AND pt.tier_rank = c.pending_rank
    LEFT JOIN (${gradesOf(o.previousRunId, plan.name)}) p ON p.entity_id = c.entity_id
    WHERE c.life_state = 'downgrade-pending' AND NOT COALESCE(p.life_state = 'downgrade-pending'
      AND p.held_rank = c.held_rank AND p.pending_rank = c.pending_rank, FALSE)`;
  return insert("downgrade-pending", plan, o, rows);
}

/** The statements that add a scheme's notice events for a run being written (none without `notices:`). */
export function insertNoticeEventsSql(plan: SchemePlan, o: NoticeSqlOptions): SqlFragment[] {
  const up = plan.kind === "thresholds" ? upgradeApproaching(plan, o) : undefined;
  const down = downgradePending(plan, o);
  return [up, down].filter((s): s is SqlFragment => s !== undefined);
}
