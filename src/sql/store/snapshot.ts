import type { SqlFragment } from "../fragment.js";
import { ident, raw, sql } from "../fragment.js";

const LIFECYCLE_COLUMNS = [
  { name: "qualified_rank", type: "INTEGER" },
  { name: "pending_rank", type: "INTEGER" },
  { name: "life_state", type: "VARCHAR" },
  { name: "due_on", type: "DATE" },
  { name: "entered_on", type: "DATE" },
  { name: "below_count", type: "INTEGER" },
  { name: "below_since", type: "DATE" },
] as const;

/**
 * Tables of snapshots, overrides and manual ratings. A run's grades, its
 * scheme, tier and rule names, and its `tw_runs` row are written in one
 * transaction, so a failed or killed run leaves nothing half-written.
 * `tw_assignments` is a view: run_id, scheme, entity_id, tier, tier_rank,
 * score, rule_id, natural_tier (only where an override is in force), flags,
 * revenue, and for schemes with a lifecycle: qualified_tier (what the rules
 * give), life_state, pending_tier, due_on, entered_on, below_count.
 */
export function createSnapshotTablesSql(): SqlFragment[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_runs")} (run_id BIGINT NOT NULL, as_of DATE NOT NULL, started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL, duration_ms BIGINT NOT NULL, policy_hash VARCHAR NOT NULL, policy_text VARCHAR NOT NULL,
  data_fingerprint VARCHAR NOT NULL, engine VARCHAR NOT NULL, summary VARCHAR NOT NULL)`,
    // One row per graded entity and scheme; names live once per run in the small tables below, so a
    // snapshot of millions of rows writes no repeated text (tw_assignments is the readable view).
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_grades")} (run_id BIGINT NOT NULL, scheme_no INTEGER NOT NULL, entity_id VARCHAR NOT NULL,
  tier_rank INTEGER NOT NULL, score DOUBLE PRECISION, rule_no INTEGER NOT NULL, natural_rank INTEGER, flags VARCHAR, revenue DECIMAL(38,4))`,
    // Lifecycle state (schemes with a lifecycle only; NULL otherwise): the tier the rules give, a pending
    // move and when it is due, since when the tier is held, and the evaluations below its retention bound.
    ...LIFECYCLE_COLUMNS.map(
      (c) => sql`ALTER TABLE ${ident("tw_grades")} ADD COLUMN IF NOT EXISTS ${ident(c.name)} ${raw(c.type)}`,
    ),
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_run_schemes")} (run_id BIGINT NOT NULL, scheme_no INTEGER NOT NULL, scheme VARCHAR NOT NULL,
  kind VARCHAR NOT NULL, entity VARCHAR NOT NULL, visibility VARCHAR NOT NULL)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_run_tiers")} (run_id BIGINT NOT NULL, scheme_no INTEGER NOT NULL, tier_rank INTEGER NOT NULL,
  tier VARCHAR NOT NULL)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_run_rules")} (run_id BIGINT NOT NULL, scheme_no INTEGER NOT NULL, rule_no INTEGER NOT NULL,
  rule_id VARCHAR NOT NULL)`,
    sql`CREATE OR REPLACE VIEW ${ident("tw_assignments")} AS
  SELECT g.run_id, s.scheme, g.entity_id, t.tier, g.tier_rank, g.score, r.rule_id, n.tier AS natural_tier, g.flags, g.revenue,
    q.tier AS qualified_tier, g.life_state, pt.tier AS pending_tier, CAST(g.due_on AS VARCHAR) AS due_on,
    CAST(g.entered_on AS VARCHAR) AS entered_on, g.below_count
  FROM ${ident("tw_grades")} g
  JOIN ${ident("tw_run_schemes")} s ON s.run_id = g.run_id AND s.scheme_no = g.scheme_no
  JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
  JOIN ${ident("tw_run_rules")} r ON r.run_id = g.run_id AND r.scheme_no = g.scheme_no AND r.rule_no = g.rule_no
  LEFT JOIN ${ident("tw_run_tiers")} n ON n.run_id = g.run_id AND n.scheme_no = g.scheme_no AND n.tier_rank = g.natural_rank
  LEFT JOIN ${ident("tw_run_tiers")} q ON q.run_id = g.run_id AND q.scheme_no = g.scheme_no AND q.tier_rank = g.qualified_rank
  LEFT JOIN ${ident("tw_run_tiers")} pt ON pt.run_id = g.run_id AND pt.scheme_no = g.scheme_no AND pt.tier_rank = g.pending_rank`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_overrides")} (override_id BIGINT NOT NULL, scheme VARCHAR NOT NULL, entity_id VARCHAR NOT NULL,
  tier VARCHAR NOT NULL, mode VARCHAR NOT NULL, reason VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
  expires_at DATE, removed_at TIMESTAMP, removed_by VARCHAR)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_override_log")} (override_id BIGINT NOT NULL, action VARCHAR NOT NULL, logged_at TIMESTAMP NOT NULL,
  by_name VARCHAR NOT NULL, scheme VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, tier VARCHAR, mode VARCHAR, reason VARCHAR, previous VARCHAR)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_ratings")} (rating_id BIGINT NOT NULL, customer_id VARCHAR NOT NULL, rating INTEGER NOT NULL,
  rated_at TIMESTAMP NOT NULL, rated_by VARCHAR NOT NULL)`,
    // Version 6: the ratings' audit trail, one line per rating (`rated`, at the time it applies from) and per
    // removal (`removed`); a removed rating leaves tw_ratings, its lines stay.
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_rating_log")} (rating_id BIGINT NOT NULL, action VARCHAR NOT NULL, logged_at TIMESTAMP NOT NULL,
  by_name VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, rating INTEGER NOT NULL)`,
    // Rep assignments (tierwise assign-reps): one row per change, never updated; a customer's latest row is their rep.
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_rep_assignments")} (batch_id BIGINT NOT NULL, assigned_at TIMESTAMP NOT NULL,
  run_id BIGINT NOT NULL, scheme VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, rep_id VARCHAR, previous_rep_id VARCHAR, reason VARCHAR NOT NULL)`,
    // Runs removed by `tierwise runs delete`: what was removed and the highest run and event ids they
    // held, so a later run never takes a deleted run's id (nor its events' ids and idempotency keys).
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_deleted_runs")} (run_id BIGINT NOT NULL, as_of DATE NOT NULL, policy_hash VARCHAR NOT NULL,
  deleted_at TIMESTAMP NOT NULL, events BIGINT NOT NULL, delivered_events BIGINT NOT NULL, last_event_id BIGINT, forced BOOLEAN NOT NULL)`,
  ];
}
