import { ident, type SqlFragment, sql } from "../fragment.js";

/**
 * The policy versions activated through `POST /policies` (`tw_policy_versions`,
 * store schema 6): the whole text, its hash, who activated it (an API key's
 * name) and when. The highest version is the active policy; the primary key
 * makes two servers activating at once on PostgreSQL fail rather than share a number.
 */
export function createPolicyVersionTableSql(): SqlFragment {
  return sql`CREATE TABLE IF NOT EXISTS ${ident("tw_policy_versions")} (version INTEGER NOT NULL,
  policy_hash VARCHAR NOT NULL, policy_text VARCHAR NOT NULL, author VARCHAR NOT NULL, activated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (version))`;
}
