import { ident, integer, raw, type SqlFragment, sql } from "../fragment.js";
import { col, type RowOf, select } from "../row.js";
import { latestFirst } from "./run-order.js";

/**
 * `tierwise runs`: the stored runs with what belongs to them, and deleting a
 * run (tables: src/sql/store/snapshot.ts, events.ts, clv.ts). A deleted
 * run's id and its events' highest id are kept in tw_deleted_runs, so ids
 * (and the idempotency keys built from them) are never given out twice.
 */

/** Every run, latest first (run-order.ts), with its events and how many of them a webhook received. */
export function runListSql() {
  const events = ident("tw_events");
  return select(
    runListShape,
    sql`SELECT r.run_id, CAST(r.as_of AS VARCHAR) AS as_of, r.policy_hash, r.policy_text, CAST(r.started_at AS VARCHAR) AS started_at, r.summary,
    (SELECT count(*) FROM ${events} e WHERE e.run_id = r.run_id) AS events,
    (SELECT count(*) FROM ${events} e WHERE e.run_id = r.run_id
      AND EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = e.event_id AND d.delivered)) AS delivered
  FROM ${ident("tw_runs")} r ORDER BY ${latestFirst("r")}`,
  );
}

/** A stored run as `tierwise runs` lists it: the recorded policy and summary, its events. */
export type RunListRow = RowOf<typeof runListShape>;
const runListShape = {
  run_id: col.integer,
  as_of: col.date,
  policy_hash: col.text,
  policy_text: col.text,
  started_at: col.timestamp,
  summary: col.text,
  events: col.integer,
  delivered: col.integer,
} as const;

/** A run's events that at least one webhook received, by id. */
export function deliveredEventsSql(runId: number) {
  return select(
    { event_id: col.integer },
    sql`SELECT e.event_id FROM ${ident("tw_events")} e WHERE e.run_id = ${integer(runId)}
    AND EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = e.event_id AND d.delivered) ORDER BY e.event_id`,
  );
}

/** Record a run about to be deleted (its tw_runs row must still exist): counts of its events, delivered ones, its highest event id. */
export function recordDeletedRunSql(runId: number, deletedAt: string, forced: boolean): SqlFragment {
  const events = ident("tw_events");
  const delivered = sql`SELECT count(*) FROM ${events} e WHERE e.run_id = ${integer(runId)}
    AND EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = e.event_id AND d.delivered)`;
  return sql`INSERT INTO ${ident("tw_deleted_runs")} (run_id, as_of, policy_hash, deleted_at, events, delivered_events, last_event_id, forced)
  SELECT r.run_id, r.as_of, r.policy_hash, CAST(${deletedAt} AS TIMESTAMP),
    (SELECT count(*) FROM ${events} e WHERE e.run_id = r.run_id), (${delivered}),
    (SELECT max(e.event_id) FROM ${events} e WHERE e.run_id = r.run_id), ${raw(forced ? "TRUE" : "FALSE")}
  FROM ${ident("tw_runs")} r WHERE r.run_id = ${integer(runId)}`;
}

/**
 * Remove one run and what belongs only to it: its events and their delivery
 * log, its grades, its cut-offs and the live grades on top of it, its scheme, tier and rule names and its tw_runs row. CLV
 * models fitted while it was the latest run are kept (they depend on the
 * data, not on the run) and no longer name it. Rep assignments made from it
 * stay: they are the log of who was given which rep.
 */
export function deleteRunSql(runId: number): SqlFragment[] {
  const of = integer(runId);
  return [
    sql`DELETE FROM ${ident("tw_event_deliveries")}
    WHERE event_id IN (SELECT e.event_id FROM ${ident("tw_events")} e WHERE e.run_id = ${of})`,
    sql`DELETE FROM ${ident("tw_events")} WHERE run_id = ${of}`,
    sql`DELETE FROM ${ident("tw_grades")} WHERE run_id = ${of}`,
    // Real-time grading: the run's cut-offs and the live grades events made on top of it.
    sql`DELETE FROM ${ident("tw_cutoffs")} WHERE run_id = ${of}`,
    sql`DELETE FROM ${ident("tw_live_grades")} WHERE base_run = ${of}`,
    sql`DELETE FROM ${ident("tw_run_rules")} WHERE run_id = ${of}`,
    sql`DELETE FROM ${ident("tw_run_tiers")} WHERE run_id = ${of}`,
    sql`DELETE FROM ${ident("tw_run_schemes")} WHERE run_id = ${of}`,
    sql`UPDATE ${ident("tw_clv_models")} SET run_id = NULL WHERE run_id = ${of}`,
    sql`DELETE FROM ${ident("tw_runs")} WHERE run_id = ${of}`,
  ];
}

/** The next run id: after every stored and every deleted run. */
export function nextRunIdSql() {
  return select(
    { id: col.integer },
    sql`SELECT greatest(coalesce((SELECT max(run_id) FROM ${ident("tw_runs")}), 0),
    coalesce((SELECT max(run_id) FROM ${ident("tw_deleted_runs")}), 0)) + 1 AS id`,
  );
}

/** The highest event id ever given (0 for none): stored events and those of deleted runs. A scalar subquery. */
export function lastEventIdSql(): SqlFragment {
  return sql`SELECT greatest(coalesce((SELECT max(e.event_id) FROM ${ident("tw_events")} e), 0),
    coalesce((SELECT max(d.last_event_id) FROM ${ident("tw_deleted_runs")} d), 0))`;
}

/** How many events a run has: `n`. */
export function eventCountSql(runId: number) {
  return select(
    { n: col.integer },
    sql`SELECT count(*) AS n FROM ${ident("tw_events")} WHERE run_id = ${integer(runId)}`,
  );
}
