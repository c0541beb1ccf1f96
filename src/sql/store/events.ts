import { ident, type SqlFragment, sql } from "../fragment.js";

/**
 * The tier-change outbox (`tw_events`) and its delivery log
 * (`tw_event_deliveries`): one row per tier change of a run (filled in the
 * run's snapshot transaction), and one row per attempt to deliver an event to
 * a webhook; and the circuit-breaker state of each webhook url
 * (`tw_webhook_endpoints`).
 */
export function createEventTablesSql(): SqlFragment[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_events")} (event_id BIGINT NOT NULL, run_id BIGINT NOT NULL, as_of DATE NOT NULL,
  scheme VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, from_tier VARCHAR, to_tier VARCHAR, kind VARCHAR NOT NULL,
  idempotency_key VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`,
    // Why: the rule that placed the entity now (kind, rule id, lifecycle, override:<mode>), `left scope`, or an alert's condition.
    sql`ALTER TABLE ${ident("tw_events")} ADD COLUMN IF NOT EXISTS reason VARCHAR`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_event_deliveries")} (event_id BIGINT NOT NULL, url VARCHAR NOT NULL, attempt INTEGER NOT NULL,
  attempted_at TIMESTAMP NOT NULL, status INTEGER, error VARCHAR, delivered BOOLEAN NOT NULL)`,
    // The circuit breaker of each webhook url: consecutive failed attempts, and until when it is open
    // (the deliverer skips the url); kept in the store so separate `events deliver` calls respect it.
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_webhook_endpoints")} (url VARCHAR NOT NULL, failures INTEGER NOT NULL,
  open_until TIMESTAMP, updated_at TIMESTAMP NOT NULL)`,
  ];
}
