import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, type RowOf, select } from "../row.js";
import { beforeRunSql, latestFirst } from "../run/run-order.js";
import { lastEventIdSql } from "../run/runs.js";

/**
 * The outbox's writes and reads (tables: src/sql/store/events.ts): the
 * set-based fill inside a run's snapshot transaction, and the reads of
 * `events` and `deliverEvents`.
 */

/**
 * Fill the outbox for a run being written: per scheme of the run that an
 * earlier run also has, compare its tiers with those of the run holding that
 * scheme just before it in the run order (run-order.ts: the latest earlier
 * as-of, or an earlier run of the same as-of; never simply the next lower
 * id, which after a backfill is a later date) — entered (from NULL), left
 * (to NULL), moved; nothing for an unchanged tier. A scheme's first run (by
 * as-of) is the baseline and emits nothing. One statement; event ids
 * continue the table's.
 *
 * The two runs' grades are matched on the scheme's number and the entity
 * (numbers, not names, in the join of millions of rows); tier names are
 * looked up afterwards from the runs' small name tables and compared, so a
 * renamed tier is still a change.
 */
function pairsSql(runId: number, asOf: string): SqlFragment {
  const id = integer(runId);
  const schemes = ident("tw_run_schemes");
  return sql`SELECT q.scheme, q.no, q.p_run, q.p_no FROM (
      SELECT c.scheme, c.scheme_no AS no, p.run_id AS p_run, p.scheme_no AS p_no,
        row_number() OVER (PARTITION BY c.scheme ORDER BY ${latestFirst("r")}) AS k
      FROM ${schemes} c JOIN ${schemes} p ON p.scheme = c.scheme JOIN ${ident("tw_runs")} r ON r.run_id = p.run_id
      WHERE c.run_id = ${id} AND ${beforeRunSql(runId, asOf)}
    ) q WHERE q.k = 1`;
}

/** The earlier runs a run's outbox compares with (one per scheme; usually the same run): `p_run`. */
export function previousRunsSql(runId: number, asOf: string) {
  return select({ p_run: col.integer }, sql`SELECT DISTINCT p_run FROM (${pairsSql(runId, asOf)}) x ORDER BY p_run`);
}

/**
 * `previousRuns` (from previousRunsSql) is given as literals so that the scan
 * of the previous grades reads only those runs' blocks of tw_grades, however
 * long the history (a join condition would scan every run's rows).
 */
export function insertEventsSql(
  runId: number,
  asOf: string,
  createdAt: string,
  previousRuns: readonly number[],
): SqlFragment {
  const id = integer(runId);
  const grades = ident("tw_grades");
  const tiers = ident("tw_run_tiers");
  const pairs = pairsSql(runId, asOf);
  const earlier = join(previousRuns.map((r) => integer(r)));
  const current = sql`SELECT k.no, g.entity_id, g.tier_rank, g.rule_no FROM ${grades} g JOIN pairs k ON k.no = g.scheme_no WHERE g.run_id = ${id}`;
  const previous = sql`SELECT k.no, g.entity_id, g.tier_rank FROM ${grades} g JOIN pairs k ON k.p_run = g.run_id AND k.p_no = g.scheme_no
    WHERE g.run_id IN (${earlier})`;
  const ranks = sql`SELECT coalesce(c.no, p.no) AS no, coalesce(c.entity_id, p.entity_id) AS entity_id, p.tier_rank AS from_rank,
      c.tier_rank AS to_rank, c.rule_no AS to_rule FROM cur c FULL OUTER JOIN prev p ON p.no = c.no AND p.entity_id = c.entity_id`;
  // The reason of a move is the rule that placed the entity now (its id: the kind, a rule, `lifecycle` or
  // `override:<mode>`); leaving the scheme's scope has no rule.
  const named = sql`SELECT k.scheme, k.no, r.entity_id, f.tier AS from_tier, t.tier AS to_tier, r.to_rank, r.to_rule
    FROM ranks r JOIN pairs k ON k.no = r.no
    LEFT JOIN ${tiers} f ON f.run_id = k.p_run AND f.scheme_no = k.p_no AND f.tier_rank = r.from_rank
    LEFT JOIN ${tiers} t ON t.run_id = ${id} AND t.scheme_no = k.no AND t.tier_rank = r.to_rank`;
  // Only the changes (a small share of millions of rows) look up the rule behind them.
  const changes = sql`SELECT n.*, CASE WHEN n.to_rank IS NULL THEN 'left scope' ELSE u.rule_id END AS reason
    FROM (SELECT * FROM named WHERE from_tier IS DISTINCT FROM to_tier) n
    LEFT JOIN ${ident("tw_run_rules")} u ON u.run_id = ${id} AND u.scheme_no = n.no AND u.rule_no = n.to_rule`;
  return sql`INSERT INTO ${ident("tw_events")} (event_id, run_id, as_of, scheme, entity_id, from_tier, to_tier, kind, idempotency_key, created_at, reason)
  WITH pairs AS (${pairs}), cur AS (${current}), prev AS (${previous}), ranks AS (${ranks}), named AS (${named}),
    changes AS (${changes})
  SELECT (${lastEventIdSql()}) + row_number() OVER (ORDER BY d.scheme, d.entity_id),
    ${id}, CAST(${asOf} AS DATE), d.scheme, d.entity_id, d.from_tier, d.to_tier, 'tier_change',
    CAST(${`${runId}:`} AS VARCHAR) || d.scheme || ':' || d.entity_id, CAST(${createdAt} AS TIMESTAMP), d.reason
  FROM changes d`;
}

export const EVENT_COLUMNS =
  raw(`e.event_id, e.run_id, CAST(e.as_of AS VARCHAR) AS as_of, e.scheme, e.entity_id, e.from_tier, e.to_tier,
  e.kind, e.idempotency_key, CAST(e.created_at AS VARCHAR) AS created_at, e.reason`);

/** A row of the outbox (`tw_events`), as EVENT_COLUMNS selects it. */
export type EventRow = RowOf<typeof eventShape>;
export const eventShape = {
  event_id: col.integer,
  run_id: col.integer,
  as_of: col.date,
  scheme: col.text,
  entity_id: col.text,
  from_tier: col.nullable(col.text),
  to_tier: col.nullable(col.text),
  kind: col.text,
  idempotency_key: col.text,
  created_at: col.timestamp,
  reason: col.nullable(col.text),
} as const;

/** Outbox events of runs after `sinceRun` (all when undefined), in event order. */
export function eventsSql(sinceRun: number | undefined) {
  const since = sinceRun === undefined ? raw("") : sql` WHERE e.run_id > ${integer(sinceRun)}`;
  return select(eventShape, sql`SELECT ${EVENT_COLUMNS} FROM ${ident("tw_events")} e${since} ORDER BY e.event_id`);
}

/** The run of the outbox's last event and the latest run (each null when there is none). */
export function outboxExtentSql() {
  return select(
    { last_event_run: col.nullable(col.integer), latest_run: col.nullable(col.integer) },
    sql`SELECT (SELECT max(e.run_id) FROM ${ident("tw_events")} e) AS last_event_run,
    (SELECT max(r.run_id) FROM ${ident("tw_runs")} r) AS latest_run`,
  );
}

const undelivered = (url: string) =>
  sql`NOT EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = e.event_id AND d.url = ${url} AND d.delivered)`;

/**
 * Events not yet delivered to a webhook url, in event order, with the number
 * of attempts made so far; at most `limit` (all when undefined).
 */
export function undeliveredEventsSql(url: string, limit?: number) {
  const bound = limit === undefined ? raw("") : raw(` LIMIT ${Math.max(0, Math.trunc(limit))}`);
  return select(
    { ...eventShape, attempts: col.integer },
    sql`SELECT ${EVENT_COLUMNS},
    (SELECT count(*) FROM ${ident("tw_event_deliveries")} a WHERE a.event_id = e.event_id AND a.url = ${url}) AS attempts
  FROM ${ident("tw_events")} e
  WHERE ${undelivered(url)}
  ORDER BY e.event_id${bound}`,
  );
}

/** Events with the number of attempts made so far to deliver each to a url, in event order (none: no such event). */
export function eventsForDeliverySql(url: string, eventIds: readonly number[]) {
  return select(
    { ...eventShape, attempts: col.integer },
    sql`SELECT ${EVENT_COLUMNS},
    (SELECT count(*) FROM ${ident("tw_event_deliveries")} a WHERE a.event_id = e.event_id AND a.url = ${url}) AS attempts
  FROM ${ident("tw_events")} e WHERE e.event_id IN (${join(eventIds.map((id) => integer(id)))}) ORDER BY e.event_id`,
  );
}

/** How many events are not yet delivered to a webhook url: `n`. */
export function undeliveredCountSql(url: string) {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${ident("tw_events")} e WHERE ${undelivered(url)}`);
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
  return sql`INSERT INTO ${ident("tw_event_deliveries")} VALUES (${integer(row.eventId)}, ${row.url},
    ${integer(row.attempt)}, CAST(${row.at} AS TIMESTAMP), CAST(${row.status} AS INTEGER), CAST(${row.error} AS VARCHAR),
    ${raw(row.delivered ? "TRUE" : "FALSE")})`;
}

/** Every recorded delivery attempt, in order. */
export function deliveriesSql() {
  return select(
    {
      event_id: col.integer,
      url: col.text,
      attempt: col.integer,
      attempted_at: col.timestamp,
      status: col.nullable(col.integer),
      error: col.nullable(col.text),
      delivered: col.boolean,
    },
    sql`SELECT event_id, url, attempt, CAST(attempted_at AS VARCHAR) AS attempted_at, status, error, delivered FROM ${ident("tw_event_deliveries")}
  ORDER BY event_id, url, attempt`,
  );
}
