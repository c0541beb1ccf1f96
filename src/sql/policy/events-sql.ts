import { ident, raw, type SqlFragment, sql } from "../fragment.js";

/**
 * The outbox's writes and reads (tables: src/sql/store/events.ts): the
 * set-based fill inside a run's snapshot transaction, and the reads of
 * `events` and `deliverEvents`.
 */

/** One scheme-graded entity with its tier name, for the runs `runs` selects (a query of run_id, scheme). */
function tiersOf(runs: SqlFragment): SqlFragment {
  return sql`SELECT s.scheme, g.entity_id, t.tier FROM ${ident("tw_grades")} g
    JOIN ${ident("tw_run_schemes")} s ON s.run_id = g.run_id AND s.scheme_no = g.scheme_no
    JOIN ${ident("tw_run_tiers")} t ON t.run_id = g.run_id AND t.scheme_no = g.scheme_no AND t.tier_rank = g.tier_rank
    JOIN (${runs}) w ON w.run_id = s.run_id AND w.scheme = s.scheme`;
}

/**
 * Fill the outbox for a run being written: per scheme of the run that an
 * earlier run also has, compare its tiers with those of the latest earlier
 * run holding that scheme (by run id) — entered (from NULL), left (to NULL),
 * moved; nothing for an unchanged tier. A scheme's first run is the baseline
 * and emits nothing. One statement; event ids continue the table's.
 */
export function insertEventsSql(runId: number, asOf: string, createdAt: string): SqlFragment {
  const id = raw(String(runId));
  const previous = sql`SELECT c.scheme, max(p.run_id) AS run_id FROM ${ident("tw_run_schemes")} c
    JOIN ${ident("tw_run_schemes")} p ON p.scheme = c.scheme AND p.run_id < ${id} WHERE c.run_id = ${id} GROUP BY c.scheme`;
  const current = sql`SELECT ${id} AS run_id, q.scheme FROM (${previous}) q`;
  return sql`INSERT INTO ${ident("tw_events")} (event_id, run_id, as_of, scheme, entity_id, from_tier, to_tier, kind, idempotency_key, created_at)
  SELECT coalesce((SELECT max(e.event_id) FROM ${ident("tw_events")} e), 0) + row_number() OVER (ORDER BY d.scheme, d.entity_id),
    ${id}, CAST(${asOf} AS DATE), d.scheme, d.entity_id, d.from_tier, d.to_tier, 'tier_change',
    CAST(${`${runId}:`} AS VARCHAR) || d.scheme || ':' || d.entity_id, CAST(${createdAt} AS TIMESTAMP)
  FROM (
    SELECT coalesce(c.scheme, p.scheme) AS scheme, coalesce(c.entity_id, p.entity_id) AS entity_id, p.tier AS from_tier, c.tier AS to_tier
    FROM (${tiersOf(current)}) c FULL OUTER JOIN (${tiersOf(previous)}) p ON p.scheme = c.scheme AND p.entity_id = c.entity_id
  ) d WHERE d.from_tier IS DISTINCT FROM d.to_tier`;
}

const EVENT_COLUMNS =
  raw(`e.event_id, e.run_id, CAST(e.as_of AS VARCHAR) AS as_of, e.scheme, e.entity_id, e.from_tier, e.to_tier,
  e.kind, e.idempotency_key, CAST(e.created_at AS VARCHAR) AS created_at`);

/** Outbox events of runs after `sinceRun` (all when undefined), in event order. */
export function eventsSql(sinceRun: number | undefined): SqlFragment {
  const since = sinceRun === undefined ? raw("") : sql` WHERE e.run_id > ${raw(String(Math.trunc(sinceRun)))}`;
  return sql`SELECT ${EVENT_COLUMNS} FROM ${ident("tw_events")} e${since} ORDER BY e.event_id`;
}

/** Events not yet delivered to a webhook url, in event order, with the number of attempts made so far. */
export function undeliveredEventsSql(url: string): SqlFragment {
  return sql`SELECT ${EVENT_COLUMNS},
    (SELECT count(*) FROM ${ident("tw_event_deliveries")} a WHERE a.event_id = e.event_id AND a.url = ${url}) AS attempts
  FROM ${ident("tw_events")} e
  WHERE NOT EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = e.event_id AND d.url = ${url} AND d.delivered)
  ORDER BY e.event_id`;
}

/** Record one delivery attempt. */
export function insertDeliverySql(row: {
  eventId: number;
  url: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  delivered: boolean;
}): SqlFragment {
  return sql`INSERT INTO ${ident("tw_event_deliveries")} VALUES (${raw(String(Math.trunc(row.eventId)))}, ${row.url},
    ${raw(String(Math.trunc(row.attempt)))}, CAST(${row.at} AS TIMESTAMP), CAST(${row.status} AS INTEGER), CAST(${row.error} AS VARCHAR),
    ${raw(row.delivered ? "TRUE" : "FALSE")})`;
}

/** Every recorded delivery attempt, in order. */
export function deliveriesSql(): SqlFragment {
  return sql`SELECT event_id, url, attempt, CAST(attempted_at AS VARCHAR) AS attempted_at, status, error, delivered FROM ${ident("tw_event_deliveries")}
  ORDER BY event_id, url, attempt`;
}
