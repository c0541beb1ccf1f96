import { ident, integer, join, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * Claiming an outbox event for delivery to a url (`tw_delivery_claims`),
 * atomic across processes on one database: a claim is a row keyed by
 * (event, url) with an owner and a lease. `claimSql` inserts it, or takes
 * over a claim whose lease has run out, in one INSERT … ON CONFLICT DO
 * UPDATE … WHERE … RETURNING: of two deliverers racing for an event, the
 * unique key lets exactly one insert or update the row, and only that one
 * gets the event id back (PostgreSQL makes the second wait for the first's
 * commit and then re-checks the lease; DuckDB has one process, and a
 * second connection's conflicting write fails, which counts as lost). A
 * claim is kept after a successful delivery (the event is no longer
 * undelivered anyway) and released after a failed one, so that the next
 * pass of any deliverer retries it. Times are UTC text
 * `YYYY-MM-DD HH:MM:SS.mmm` of the deliverer's clock.
 */

/** What an endpoint or a listing may ask for: tier changes, alerts (of any name), or one kind of notice. */
export type EventKind = "tier_change" | "alert" | "notice:upgrade-approaching" | "notice:downgrade-pending";

/** The outbox row `e` is of this kind. */
export function eventKindSql(kind: EventKind): SqlFragment {
  return kind === "alert" ? sql`e.kind LIKE 'alert:%'` : sql`e.kind = ${kind}`;
}

/** Which events an endpoint takes: all (undefined lists), or only these kinds and schemes. */
export interface EventFilter {
  /** Tier changes, alerts and/or a kind of notice (`notice:upgrade-approaching`); undefined: all. */
  readonly kinds?: readonly EventKind[];
  /** Only these schemes; undefined: every scheme. */
  readonly schemes?: readonly string[];
  /** Only this event (a manual retry). */
  readonly only?: number;
}

/** The filter as a condition on the outbox row `e`. */
export function eventFilterSql(filter: EventFilter | undefined): SqlFragment {
  const parts: SqlFragment[] = [sql`TRUE`];
  if (filter?.kinds !== undefined) {
    const kinds = filter.kinds.map(eventKindSql);
    parts.push(kinds.length === 0 ? sql`FALSE` : sql`(${join(kinds, " OR ")})`);
  }
  if (filter?.schemes !== undefined)
    parts.push(
      filter.schemes.length === 0 ? sql`FALSE` : sql`e.scheme IN (${join(filter.schemes.map((s) => sql`${s}`))})`,
    );
  if (filter?.only !== undefined) parts.push(sql`e.event_id = ${integer(filter.only)}`);
  return join(parts, " AND ");
}

const undelivered = (url: string) =>
  sql`NOT EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = e.event_id AND d.url = ${url} AND d.delivered)`;

/**
 * The oldest events (at most `limit`) after `after` that are undelivered to
 * the url, taken by the filter and not claimed by a live lease: the next
 * ones to claim.
 */
export function nextClaimableSql(
  url: string,
  filter: EventFilter | undefined,
  after: number,
  now: string,
  limit: number,
) {
  return select(
    { event_id: col.integer },
    sql`SELECT e.event_id FROM ${ident("tw_events")} e
  WHERE e.event_id > ${integer(after)} AND ${undelivered(url)} AND ${eventFilterSql(filter)}
  AND NOT EXISTS (SELECT 1 FROM ${ident("tw_delivery_claims")} c WHERE c.event_id = e.event_id AND c.url = ${url}
    AND c.lease_until >= CAST(${now} AS TIMESTAMP))
  ORDER BY e.event_id LIMIT ${integer(Math.max(1, Math.trunc(limit)))}`,
  );
}

/** Claim events for a url: a row back for each event this owner now holds, none for those another does. */
export function claimSql(eventIds: readonly number[], url: string, owner: string, now: string, leaseUntil: string) {
  const claims = ident("tw_delivery_claims");
  const rows = eventIds.map(
    (id) => sql`(${integer(id)}, CAST(${url} AS VARCHAR), CAST(${owner} AS VARCHAR), CAST(${leaseUntil} AS TIMESTAMP))`,
  );
  return select(
    { event_id: col.integer },
    sql`INSERT INTO ${claims} (event_id, url, owner, lease_until)
  VALUES ${join(rows)}
  ON CONFLICT (event_id, url) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
  WHERE ${claims}.lease_until < CAST(${now} AS TIMESTAMP)
  RETURNING event_id`,
  );
}

/** Give a claim up (after a failed delivery): any deliverer may take the event again. */
export function releaseClaimSql(eventId: number, url: string, owner: string): SqlFragment {
  return sql`UPDATE ${ident("tw_delivery_claims")} SET lease_until = CAST('1970-01-01 00:00:00' AS TIMESTAMP)
  WHERE event_id = ${integer(eventId)} AND url = ${url} AND owner = ${owner}`;
}

/** How many events the filter gives the url that are not delivered to it: `n`. */
export function undeliveredFilteredCountSql(url: string, filter: EventFilter | undefined) {
  return select(
    { n: col.integer },
    sql`SELECT count(*) AS n FROM ${ident("tw_events")} e WHERE ${undelivered(url)} AND ${eventFilterSql(filter)}`,
  );
}

/** Whether one event is delivered to the url, and whether a live claim holds it. */
export function eventDeliveryStateSql(eventId: number, url: string, now: string) {
  return select(
    { delivered: col.boolean, claimed: col.boolean },
    sql`SELECT EXISTS (SELECT 1 FROM ${ident("tw_event_deliveries")} d WHERE d.event_id = ${integer(eventId)} AND d.url = ${url}
    AND d.delivered) AS delivered,
  EXISTS (SELECT 1 FROM ${ident("tw_delivery_claims")} c WHERE c.event_id = ${integer(eventId)} AND c.url = ${url}
    AND c.lease_until >= CAST(${now} AS TIMESTAMP)) AS claimed`,
  );
}
