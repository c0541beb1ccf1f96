import type { SqlFragment } from "../fragment.js";
import { ident, sql } from "../fragment.js";

/**
 * Tables of snapshots, overrides and manual ratings. A run is visible only
 * once its `tw_runs` row exists; assignments and that row are written in one
 * transaction, so a failed or killed run leaves nothing half-written.
 */
export function createSnapshotTablesSql(): SqlFragment[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_runs")} (run_id BIGINT NOT NULL, as_of DATE NOT NULL, started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL, duration_ms BIGINT NOT NULL, policy_hash VARCHAR NOT NULL, policy_text VARCHAR NOT NULL,
  data_fingerprint VARCHAR NOT NULL, engine VARCHAR NOT NULL, summary VARCHAR NOT NULL)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_assignments")} (run_id BIGINT NOT NULL, scheme VARCHAR NOT NULL,
  entity_id VARCHAR NOT NULL, tier VARCHAR NOT NULL, tier_rank INTEGER NOT NULL, score DOUBLE PRECISION, rule_id VARCHAR NOT NULL,
  natural_tier VARCHAR, flags VARCHAR, revenue DECIMAL(38,4))`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_overrides")} (override_id BIGINT NOT NULL, scheme VARCHAR NOT NULL, entity_id VARCHAR NOT NULL,
  tier VARCHAR NOT NULL, mode VARCHAR NOT NULL, reason VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
  expires_at DATE, removed_at TIMESTAMP, removed_by VARCHAR)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_override_log")} (override_id BIGINT NOT NULL, action VARCHAR NOT NULL, logged_at TIMESTAMP NOT NULL,
  by_name VARCHAR NOT NULL, scheme VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, tier VARCHAR, mode VARCHAR, reason VARCHAR, previous VARCHAR)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_ratings")} (rating_id BIGINT NOT NULL, customer_id VARCHAR NOT NULL, rating INTEGER NOT NULL,
  rated_at TIMESTAMP NOT NULL, rated_by VARCHAR NOT NULL)`,
  ];
}
