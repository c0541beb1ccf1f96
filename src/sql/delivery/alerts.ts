import type { AlertPlan } from "../../plan/alert.js";
import type { ChurnPlan } from "../../plan/policy.js";
import { type ChurnModel, churnStateSql } from "../compile/churn.js";
import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { beforeRunSql, latestFirst } from "../run/run-order.js";
import { lastEventIdSql } from "../run/runs.js";

/**
 * Policy alerts in the outbox (tables: src/sql/store/events.ts): per alert,
 * one set-based INSERT inside a run's snapshot transaction, right after the
 * tier changes. `kind` is `alert:<condition>:<name>` (names and conditions
 * hold no colon), `from_tier` the tier watched (held at the previous run),
 * `to_tier` the tier of this run (NULL: not graded now).
 */

/**
 * The run that has a scheme of this name just before run `runId` (as of
 * `asOf`) in the run order (run-order.ts: by as-of, then id), not the one
 * with the next lower id: run_id, as_of (text); no row for a first run.
 */
export function previousRunOfSchemeSql(runId: number, asOf: string, scheme: string) {
  return select(
    { run_id: col.integer, as_of: col.date },
    sql`SELECT s.run_id, CAST(r.as_of AS VARCHAR) AS as_of FROM ${ident("tw_run_schemes")} s
  JOIN ${ident("tw_runs")} r ON r.run_id = s.run_id
  WHERE s.scheme = ${scheme} AND ${beforeRunSql(runId, asOf)}
  ORDER BY ${latestFirst("r")} LIMIT 1`,
  );
}

export interface AlertSqlOptions {
  readonly dialect: Dialect;
  /** The run being written, its as-of date and the events' creation time. */
  readonly runId: number;
  readonly asOf: string;
  readonly createdAt: string;
  /** The scheme's previous run (see previousRunOfSchemeSql). */
  readonly previous: { readonly runId: number; readonly asOf: string };
  /** The run's churn definition, applied at both as-of dates. */
  readonly churn: ChurnPlan;
  /** With `churn.p_alive`: the model fitted as of this run, applied at both dates. */
  readonly model?: ChurnModel;
}

/** One run's grades of one scheme: entity_id, tier_rank, tier. */
function tiersIn(runId: number, scheme: string): SqlFragment {
  return sql`SELECT g.entity_id, g.tier_rank, t.tier FROM ${ident("tw_grades")} g
    JOIN ${ident("tw_run_schemes")} s ON s.run_id = g.run_id AND s.scheme_no = g.scheme_no
    JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
    WHERE g.run_id = ${integer(runId)} AND s.scheme = ${scheme}`;
}

/**
 * The alert's condition on `p` (previous grades) and `c` (this run's grades,
 * NULL when not graded now). turned / at-risk: true at this run's as-of and
 * not already true at the previous run's as-of with the same last order day
 * (a customer who ordered again and turned again is a new departure).
 */
function condition(alert: AlertPlan, o: AlertSqlOptions): { joins: SqlFragment; where: SqlFragment } {
  if (alert.when === "downgraded") return { joins: raw(""), where: sql`c.tier_rank > p.tier_rank` };
  const state = (asOf: string) =>
    churnStateSql({
      dialect: o.dialect,
      asOf,
      days: o.churn.days,
      k: o.churn.k,
      ...(o.model ? { model: o.model } : {}),
    });
  const flag = raw(alert.when === "turned" ? "turned" : "at_risk");
  return {
    joins: sql`
  JOIN (${state(o.asOf)}) n ON n.customer_id = p.entity_id
  LEFT JOIN (${state(o.previous.asOf)}) b ON b.customer_id = p.entity_id`,
    where: sql`n.${flag} AND NOT coalesce(b.${flag} AND b.last_day = n.last_day, FALSE)`,
  };
}

/**
 * Add the alert's events for a run being written: customers the scheme's
 * previous run graded in one of the alert's tiers who newly meet its
 * condition (downgraded: graded lower in this run than in the previous one,
 * by tier rank). Idempotency key `<run>:alert:<name>:<entity>`; event ids
 * continue the table's, by entity id.
 */
export function insertAlertEventsSql(alert: AlertPlan, o: AlertSqlOptions): SqlFragment {
  const id = integer(o.runId);
  const { joins, where } = condition(alert, o);
  const tiers = join(alert.tiers.map((t) => sql`CAST(${t} AS VARCHAR)`));
  return sql`INSERT INTO ${ident("tw_events")} (event_id, run_id, as_of, scheme, entity_id, from_tier, to_tier, kind, idempotency_key, created_at, reason)
  SELECT (${lastEventIdSql()}) + row_number() OVER (ORDER BY a.entity_id),
    ${id}, CAST(${o.asOf} AS DATE), CAST(${alert.scheme} AS VARCHAR), a.entity_id, a.from_tier, a.to_tier,
    CAST(${`alert:${alert.when}:${alert.name}`} AS VARCHAR),
    CAST(${`${o.runId}:alert:${alert.name}:`} AS VARCHAR) || a.entity_id, CAST(${o.createdAt} AS TIMESTAMP),
    CAST(${`${alert.when} (alert ${alert.name})`} AS VARCHAR)
  FROM (
    SELECT p.entity_id, p.tier AS from_tier, c.tier AS to_tier
    FROM (${tiersIn(o.previous.runId, alert.scheme)}) p
    LEFT JOIN (${tiersIn(o.runId, alert.scheme)}) c ON c.entity_id = p.entity_id${joins}
    WHERE p.tier IN (${tiers}) AND ${where}
  ) a`;
}
