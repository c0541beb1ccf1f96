import { ident, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** Every run's policy hash and dates, oldest first (policy history). */
export function runPolicyUsesSql() {
  return select(
    { run_id: col.integer, policy_hash: col.text, as_of: col.date, started_at: col.timestamp },
    sql`SELECT run_id, policy_hash, CAST(as_of AS VARCHAR) AS as_of, CAST(started_at AS VARCHAR) AS started_at
  FROM ${ident("tw_runs")} ORDER BY run_id`,
  );
}

/** The recorded text of each distinct policy version (from the first run that used it). */
export function policyTextsSql() {
  return select(
    { policy_hash: col.text, policy_text: col.text },
    sql`SELECT policy_hash, policy_text FROM ${ident("tw_runs")}
  WHERE run_id IN (SELECT min(run_id) FROM ${ident("tw_runs")} GROUP BY policy_hash)`,
  );
}

/** Distinct recorded policy hashes starting with a (validated, lower-case hex) prefix. */
export function policyHashesLikeSql(prefix: string) {
  return select(
    { policy_hash: col.text },
    sql`SELECT DISTINCT policy_hash FROM ${ident("tw_runs")} WHERE policy_hash LIKE ${`${prefix}%`} ORDER BY policy_hash`,
  );
}

/** The recorded text of one policy version. */
export function policyTextSql(hash: string) {
  return select(
    { policy_text: col.text },
    sql`SELECT policy_text FROM ${ident("tw_runs")} WHERE policy_hash = ${hash} ORDER BY run_id LIMIT 1`,
  );
}
