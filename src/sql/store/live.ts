import { ident, type SqlFragment, sql } from "../fragment.js";

/**
 * The tables of real-time grading (store schema 6): the cut-offs a full run
 * stores for its population-relative schemes (`tw_cutoffs`, one row per
 * run, scheme, part and step; src/sql/compile/cutoffs.ts), and the live
 * grades events made since the latest run (`tw_live_grades`, one row per
 * customer and scheme on top of a run, `base_run`; the next full run
 * supersedes them).
 */
export function createLiveTablesSql(): SqlFragment[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_cutoffs")} (run_id BIGINT NOT NULL, scheme VARCHAR NOT NULL,
  part VARCHAR NOT NULL, step INTEGER NOT NULL, value DOUBLE PRECISION)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident("tw_live_grades")} (customer_id VARCHAR NOT NULL, scheme VARCHAR NOT NULL,
  base_run BIGINT NOT NULL, as_of DATE NOT NULL, tier VARCHAR, tier_rank INTEGER, score DOUBLE PRECISION, rule_id VARCHAR,
  life_state VARCHAR, due_on DATE, made_at TIMESTAMP NOT NULL, event_table VARCHAR NOT NULL, event_id VARCHAR NOT NULL,
  cutoffs_run BIGINT)`,
  ];
}
