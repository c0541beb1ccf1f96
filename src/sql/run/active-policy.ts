import { ident, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** Store a new policy version, numbered one after the highest (run inside a transaction). */
export function insertPolicyVersionSql(policy: { hash: string; text: string; author: string }): SqlFragment {
  return sql`INSERT INTO ${ident("tw_policy_versions")} (version, policy_hash, policy_text, author, activated_at)
  SELECT coalesce(max(version), 0) + 1, ${policy.hash}, ${policy.text}, ${policy.author}, CAST(now() AS TIMESTAMP)
  FROM ${ident("tw_policy_versions")}`;
}

const VERSION_ROW = {
  version: col.integer,
  policy_hash: col.text,
  author: col.text,
  activated_at: col.timestamp,
} as const;

/** The active policy version (the highest) with its text, if any was activated. */
export function activePolicyVersionSql() {
  return select(
    { ...VERSION_ROW, policy_text: col.text },
    sql`SELECT version, policy_hash, author, CAST(activated_at AS VARCHAR) AS activated_at, policy_text
  FROM ${ident("tw_policy_versions")} ORDER BY version DESC LIMIT 1`,
  );
}

/** Every activated policy version, newest first (without the texts). */
export function policyVersionsSql() {
  return select(
    VERSION_ROW,
    sql`SELECT version, policy_hash, author, CAST(activated_at AS VARCHAR) AS activated_at
  FROM ${ident("tw_policy_versions")} ORDER BY version DESC`,
  );
}

/** The policy recorded with the latest run (by run id): the active policy before any activation. */
export function latestRunPolicySql() {
  return select(
    { run_id: col.integer, policy_hash: col.text, policy_text: col.text, started_at: col.timestamp },
    sql`SELECT run_id, policy_hash, policy_text, CAST(started_at AS VARCHAR) AS started_at
  FROM ${ident("tw_runs")} ORDER BY run_id DESC LIMIT 1`,
  );
}
