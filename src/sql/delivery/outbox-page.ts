import { ident, integer, join, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { type EventKind, eventKindSql } from "./claims.js";
import { EVENT_COLUMNS, eventShape } from "./events.js";

/** What `GET /events` filters the outbox by; every value is bound. */
export interface OutboxSearch {
  readonly run: number | null;
  readonly scheme: string | null;
  readonly kind: EventKind | null;
  readonly customer: string | null;
  /** true: delivered to at least one webhook; false: to none yet; null: either. */
  readonly delivered: boolean | null;
  /** Only events after this event id (the cursor). */
  readonly after: number | null;
  /** Page size; one more row is read to tell whether there is a next page. */
  readonly limit: number;
}

/** One page of the outbox in event order (keyset on event_id), with whether each event reached a webhook. */
export function outboxPageSql(s: OutboxSearch) {
  const where: SqlFragment[] = [sql`TRUE`];
  if (s.after !== null) where.push(sql`e.event_id > ${integer(s.after)}`);
  if (s.run !== null) where.push(sql`e.run_id = ${integer(s.run)}`);
  if (s.scheme !== null) where.push(sql`e.scheme = ${s.scheme}`);
  if (s.kind !== null) where.push(eventKindSql(s.kind));
  if (s.customer !== null) where.push(sql`e.entity_id = ${s.customer}`);
  const reached = sql`EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = e.event_id AND d.delivered)`;
  if (s.delivered !== null) where.push(s.delivered ? reached : sql`NOT ${reached}`);
  return select(
    { ...eventShape, delivered: col.boolean },
    sql`SELECT ${EVENT_COLUMNS}, ${reached} AS delivered FROM ${ident("tw_events")} e
  WHERE ${join(where, " AND ")} ORDER BY e.event_id LIMIT ${integer(s.limit + 1)}`,
  );
}

/** The delivery attempts to a url, by event and attempt, after (event, attempt) of the cursor. */
export function urlDeliveriesSql(url: string, after: { event: number; attempt: number } | null, limit: number) {
  const from =
    after === null
      ? sql`TRUE`
      : sql`(event_id > ${integer(after.event)} OR (event_id = ${integer(after.event)} AND attempt > ${integer(after.attempt)}))`;
  return select(
    {
      event_id: col.integer,
      attempt: col.integer,
      attempted_at: col.timestamp,
      status: col.nullable(col.integer),
      error: col.nullable(col.text),
      delivered: col.boolean,
    },
    sql`SELECT event_id, attempt, CAST(attempted_at AS VARCHAR) AS attempted_at, status, error, delivered
  FROM ${ident("tw_event_deliveries")} WHERE url = ${url} AND ${from}
  ORDER BY event_id, attempt LIMIT ${integer(limit + 1)}`,
  );
}
