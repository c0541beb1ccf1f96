import { ident, type SqlFragment, sql } from "../fragment.js";

/**
 * Store schema 6: webhook endpoints registered through `tierwise serve`
 * (`tw_webhooks`: the url, the signing secret encrypted with AES-256-GCM,
 * the event types and schemes it takes) and the delivery claims
 * (`tw_delivery_claims`: which deliverer is sending an event to a url, until
 * when), which let several servers on one database share an outbox without
 * sending an event twice. A self-contained step: both tables are new.
 */
export function createWebhookTablesSql(): SqlFragment[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_webhooks")} (webhook_id VARCHAR NOT NULL PRIMARY KEY, url VARCHAR NOT NULL,
  secret_enc VARCHAR NOT NULL, types VARCHAR NOT NULL, schemes VARCHAR, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_delivery_claims")} (event_id BIGINT NOT NULL, url VARCHAR NOT NULL,
  owner VARCHAR NOT NULL, lease_until TIMESTAMP NOT NULL, PRIMARY KEY (event_id, url))`,
  ];
}
