import { ident, type SqlFragment, sql } from "../fragment.js";
import { col, type RowOf, select } from "../row.js";

/**
 * The webhook endpoints registered through the API (`tw_webhooks`, store
 * schema 6: src/sql/store/webhooks.ts). `types` is a comma-separated list
 * of event types; `schemes` a JSON array of scheme names (null: every
 * scheme). The secret is stored encrypted (`secret_enc`) and read only by
 * the deliverer.
 */

const shape = {
  webhook_id: col.text,
  url: col.text,
  secret_enc: col.text,
  types: col.text,
  schemes: col.nullable(col.text),
  created_by: col.text,
  created_at: col.timestamp,
} as const;

export type WebhookRow = RowOf<typeof shape>;

const COLUMNS = sql`webhook_id, url, secret_enc, types, schemes, created_by, CAST(created_at AS VARCHAR) AS created_at`;

export function insertWebhookSql(row: {
  id: string;
  url: string;
  secretEnc: string;
  types: string;
  schemes: string | null;
  createdBy: string;
  createdAt: string;
}): SqlFragment {
  return sql`INSERT INTO ${ident("tw_webhooks")} (webhook_id, url, secret_enc, types, schemes, created_by, created_at)
  VALUES (${row.id}, ${row.url}, ${row.secretEnc}, ${row.types}, CAST(${row.schemes} AS VARCHAR), ${row.createdBy},
  CAST(${row.createdAt} AS TIMESTAMP))`;
}

/** Every registered endpoint, oldest first. */
export function webhooksSql() {
  return select(shape, sql`SELECT ${COLUMNS} FROM ${ident("tw_webhooks")} ORDER BY created_at, webhook_id`);
}

export function webhookByIdSql(id: string) {
  return select(shape, sql`SELECT ${COLUMNS} FROM ${ident("tw_webhooks")} WHERE webhook_id = ${id}`);
}

export function webhookByUrlSql(url: string) {
  return select({ webhook_id: col.text }, sql`SELECT webhook_id FROM ${ident("tw_webhooks")} WHERE url = ${url}`);
}

export function deleteWebhookSql(id: string): SqlFragment {
  return sql`DELETE FROM ${ident("tw_webhooks")} WHERE webhook_id = ${id}`;
}
