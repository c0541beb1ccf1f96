import { ident, type SqlFragment, sql } from "../fragment.js";

/** Every run's policy hash and dates, oldest first (policy history). */
export function runPolicyUsesSql(): SqlFragment {
  return sql`SELECT run_id, policy_hash, CAST(as_of AS VARCHAR) AS as_of, CAST(started_at AS VARCHAR) AS started_at
  FROM ${ident("tw_runs")} ORDER BY run_id`;
}

/** The recorded text of each distinct policy version (from the first run that used it). */
export function policyTextsSql(): SqlFragment {
  return sql`SELECT policy_hash, policy_text FROM ${ident("tw_runs")}
  WHERE run_id IN (SELECT min(run_id) FROM ${ident("tw_runs")} GROUP BY policy_hash)`;
}

/** Distinct recorded policy hashes starting with a (validated, lower-case hex) prefix. */
export function policyHashesLikeSql(prefix: string): SqlFragment {
  return sql`SELECT DISTINCT policy_hash FROM ${ident("tw_runs")} WHERE policy_hash LIKE ${`${prefix}%`} ORDER BY policy_hash`;
}

/** The recorded text of one policy version. */
export function policyTextSql(hash: string): SqlFragment {
  return sql`SELECT policy_text FROM ${ident("tw_runs")} WHERE policy_hash = ${hash} ORDER BY run_id LIMIT 1`;
}
