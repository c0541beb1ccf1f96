import { ident, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * The API keys of `tierwise serve` (`tw_api_keys`, store schema 5): one row
 * per key, found by its non-secret id; the secret itself is never stored,
 * only an HMAC-SHA-256 of it under a per-key salt (src/store/api-keys.ts).
 */
export function createApiKeyTableSql(): SqlFragment {
  return sql`CREATE TABLE IF NOT EXISTS ${ident("tw_api_keys")} (key_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
  role VARCHAR NOT NULL, salt VARCHAR NOT NULL, hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, last_used_at TIMESTAMP)`;
}

export function insertApiKeySql(key: {
  id: string;
  name: string;
  role: string;
  salt: string;
  hash: string;
}): SqlFragment {
  return sql`INSERT INTO ${ident("tw_api_keys")} (key_id, name, role, salt, hash, created_at)
  VALUES (${key.id}, ${key.name}, ${key.role}, ${key.salt}, ${key.hash}, CAST(now() AS TIMESTAMP))`;
}

/** The key named so, if any (names are unique among the keys of a store). */
export function apiKeyByNameSql(name: string) {
  return select({ key_id: col.text }, sql`SELECT key_id FROM ${ident("tw_api_keys")} WHERE name = ${name}`);
}

/** Every key, oldest first: never its hash or salt. */
export function listApiKeysSql() {
  return select(
    { name: col.text, role: col.text, created_at: col.timestamp, last_used_at: col.nullable(col.timestamp) },
    sql`SELECT name, role, CAST(created_at AS VARCHAR) AS created_at, CAST(last_used_at AS VARCHAR) AS last_used_at
  FROM ${ident("tw_api_keys")} ORDER BY created_at, name`,
  );
}

export function deleteApiKeySql(name: string): SqlFragment {
  return sql`DELETE FROM ${ident("tw_api_keys")} WHERE name = ${name}`;
}

/** The one row a presented key is checked against; `stale` when its last use was recorded over a minute ago (or never). */
export function apiKeyByIdSql(keyId: string) {
  return select(
    { name: col.text, role: col.text, salt: col.text, hash: col.text, stale: col.boolean },
    sql`SELECT name, role, salt, hash,
  (last_used_at IS NULL OR last_used_at < CAST(now() AS TIMESTAMP) - INTERVAL '1 minute') AS stale
  FROM ${ident("tw_api_keys")} WHERE key_id = ${keyId}`,
  );
}

export function touchApiKeySql(keyId: string): SqlFragment {
  return sql`UPDATE ${ident("tw_api_keys")} SET last_used_at = CAST(now() AS TIMESTAMP) WHERE key_id = ${keyId}`;
}
