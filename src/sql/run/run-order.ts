import { ident, integer, raw, type SqlFragment, sql } from "../fragment.js";

/**
 * The one order of stored runs: by as-of date, runs of the same date by run
 * id. "The latest run" is the greatest in this order (the latest as-of; ties
 * go to the newest run), whatever order the runs were written in (a backfill
 * writes older dates after newer ones). Every query that picks a run by
 * default, or a run's predecessor, orders by this.
 */
export function latestFirst(alias?: string): SqlFragment {
  const a = alias === undefined ? "" : `${alias}.`;
  if (alias !== undefined && !/^[a-z]$/.test(alias)) throw new Error(`internal: alias ${alias}`);
  return raw(`${a}as_of DESC, ${a}run_id DESC`);
}

/** The latest run's id (one row, or none in an empty store): a scalar subquery. */
export function latestRunIdSql(): SqlFragment {
  return sql`SELECT run_id FROM ${ident("tw_runs")} ORDER BY ${latestFirst()} LIMIT 1`;
}

/**
 * Runs `r` (joined to tw_runs as `r`) that come before a run written as of
 * `asOf` with id `runId` in the run order: an earlier as-of, or the same
 * as-of and a smaller id (a rerun at the same date follows the earlier run
 * of that date). The run being written need not be in tw_runs yet.
 */
export function beforeRunSql(runId: number, asOf: string): SqlFragment {
  const id = integer(runId);
  return sql`(r.as_of < CAST(${asOf} AS DATE) OR (r.as_of = CAST(${asOf} AS DATE) AND r.run_id < ${id}))`;
}
