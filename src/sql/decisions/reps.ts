import { REP_LEVELS } from "../../plan/playbook.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { textCell } from "../spreadsheet-safe.js";

export const REP_TABLES = {
  current: "tw_ra_current",
  customers: "tw_ra_customers",
  reps: "tw_ra_reps",
  result: "tw_ra_result",
} as const;

const t = (name: keyof typeof REP_TABLES) => ident(REP_TABLES[name]);
/** Level number: 1 standard, 2 key-account, 3 senior. */
const levelNo = (column: SqlFragment) =>
  sql`CASE ${column}${join(
    REP_LEVELS.map((l, i) => sql` WHEN ${raw(`'${l}'`)} THEN ${integer(i + 1)}`),
    "",
  )} END`;
const levelName = (column: SqlFragment) =>
  sql`CASE ${column}${join(
    REP_LEVELS.map((l, i) => sql` WHEN ${integer(i + 1)} THEN ${raw(`'${l}'`)}`),
    "",
  )} END`;

/** Every customer's current rep: their latest assignment if they have one, else customers.owner_rep_id. */
export function currentRepsSql(): SqlFragment {
  return sql`SELECT c.customer_id, CASE WHEN la.customer_id IS NOT NULL THEN la.rep_id ELSE c.owner_rep_id END AS rep_id
  FROM ${ident("customers")} c LEFT JOIN (
    SELECT x.customer_id, x.rep_id FROM (SELECT a.customer_id, a.rep_id,
      row_number() OVER (PARTITION BY a.customer_id ORDER BY a.batch_id DESC) AS rn FROM ${ident("tw_rep_assignments")} a) x
    WHERE x.rn = 1) la ON la.customer_id = c.customer_id`;
}

/**
 * The customers a run's scheme graded into a tier whose playbook needs a rep:
 * tier, needed level (by tier rank), value (the run's revenue), current rep.
 */
export function scopeCustomersSql(runId: number, schemeNo: number, needs: readonly (number | null)[]): SqlFragment {
  const need = sql`CASE g.tier_rank${join(
    needs.map((n, i) => sql` WHEN ${integer(i + 1)} THEN ${n === null ? raw("NULL") : integer(n)}`),
    "",
  )} END`;
  return sql`SELECT * FROM (SELECT g.entity_id AS customer_id, g.tier_rank, n.tier, ${need} AS need,
    COALESCE(g.revenue, 0) AS value, cur.rep_id AS current_rep
  FROM ${ident("tw_grades")} g
  JOIN ${ident("tw_run_tiers")} n ON n.run_id = g.run_id AND n.scheme_no = g.scheme_no AND n.tier_rank = g.tier_rank
  JOIN ${t("current")} cur ON cur.customer_id = g.entity_id
  WHERE g.run_id = ${integer(runId)} AND g.scheme_no = ${integer(schemeNo)}) s WHERE s.need IS NOT NULL`;
}

/** Reps with their level number, capacity (null: unlimited) and the customers outside the scope they keep. */
export function repsSql(): SqlFragment {
  return sql`SELECT r.rep_id, r.level, ${levelNo(sql`r.level`)} AS level_no, r.capacity,
    (SELECT count(*) FROM ${t("current")} cur WHERE cur.rep_id = r.rep_id
      AND NOT EXISTS (SELECT 1 FROM ${t("customers")} s WHERE s.customer_id = cur.customer_id)) AS fixed_load
  FROM ${ident("reps")} r`;
}

/** Each rep's level (the reps of `repsSql`). */
export function repLevelsSql() {
  return select({ rep_id: col.text, level: col.text }, repsSql());
}

/**
 * Customers who stay with their current rep: the rep's level is at least the
 * one needed and the rep has room, the rep's customers taken by need, tier,
 * value and id until the capacity is full.
 */
export function keptSql(): SqlFragment {
  return sql`SELECT x.customer_id, x.current_rep AS rep_id, x.current_rep, CAST('kept' AS VARCHAR) AS reason, TRUE AS kept FROM (
    SELECT c.customer_id, c.current_rep, r.capacity, r.fixed_load,
      row_number() OVER (PARTITION BY c.current_rep ORDER BY c.need DESC, c.tier_rank, c.value DESC, c.customer_id) AS k
    FROM ${t("customers")} c JOIN ${t("reps")} r ON r.rep_id = c.current_rep AND r.level_no >= c.need) x
  WHERE x.capacity IS NULL OR x.fixed_load + x.k <= x.capacity`;
}

/** Per rep: its load so far (customers outside the scope plus those placed). */
export function repLoadsSql() {
  return select(
    { rep_id: col.text, level_no: col.integer, capacity: col.nullable(col.integer), load: col.integer },
    sql`SELECT r.rep_id, r.level_no, r.capacity, r.fixed_load + (SELECT count(*) FROM ${t("result")} a WHERE a.rep_id = r.rep_id) AS load
  FROM ${t("reps")} r ORDER BY r.rep_id`,
  );
}

export function pendingCountSql(need: number) {
  return select(
    { n: col.integer },
    sql`SELECT count(*) AS n FROM ${t("customers")} c
  WHERE c.need = ${integer(need)} AND NOT EXISTS (SELECT 1 FROM ${t("result")} a WHERE a.customer_id = c.customer_id)`,
  );
}

/** Why a customer could not stay with their current rep. */
const whyMoved = sql`CASE WHEN c.current_rep IS NULL THEN 'had no rep'
    WHEN cr.rep_id IS NULL THEN c.current_rep || ' is not in reps'
    WHEN cr.level_no < c.need THEN c.current_rep || ' is ' || cr.level || ', ' || c.tier || ' needs ' || ${levelName(sql`c.need`)}
    ELSE c.current_rep || ' is full (capacity ' || CAST(cr.capacity AS VARCHAR) || ')' END`;

/**
 * Place the pending customers needing one level: ranked by tier, value and
 * id, the n-th goes to the rep whose range [lo, hi] holds n (ranges computed
 * by the caller from the reps' room); beyond the last range nobody has room.
 */
export function placeSql(need: number, ranges: readonly { repId: string; lo: number; hi: number }[]): SqlFragment {
  const values =
    ranges.length > 0
      ? join(ranges.map((r) => sql`(CAST(${r.repId} AS VARCHAR), ${integer(r.lo)}, ${integer(r.hi)})`))
      : sql`(CAST(NULL AS VARCHAR), 0, -1)`;
  return sql`INSERT INTO ${t("result")} (customer_id, rep_id, current_rep, reason, kept)
  SELECT p.customer_id, a.rep_id, p.current_rep,
    p.why || CASE WHEN a.rep_id IS NULL THEN '; no ' || ${levelName(integer(need))} || ' rep or above has room'
      ELSE '; ' || a.rep_id || ' (' || ar.level || ') had the lowest load' END,
    FALSE
  FROM (SELECT c.customer_id, c.current_rep, ${whyMoved} AS why,
      row_number() OVER (ORDER BY c.tier_rank, c.value DESC, c.customer_id) AS n
    FROM ${t("customers")} c LEFT JOIN ${t("reps")} cr ON cr.rep_id = c.current_rep
    WHERE c.need = ${integer(need)} AND NOT EXISTS (SELECT 1 FROM ${t("result")} x WHERE x.customer_id = c.customer_id)) p
  LEFT JOIN (VALUES ${values}) a(rep_id, lo, hi) ON p.n BETWEEN a.lo AND a.hi
  LEFT JOIN ${t("reps")} ar ON ar.rep_id = a.rep_id`;
}

export function createResultSql(): SqlFragment[] {
  return [
    sql`DROP TABLE IF EXISTS ${t("result")}`,
    sql`CREATE TEMP TABLE ${t("result")} (customer_id VARCHAR NOT NULL, rep_id VARCHAR, current_rep VARCHAR, reason VARCHAR NOT NULL, kept BOOLEAN NOT NULL)`,
    sql`INSERT INTO ${t("result")} ${keptSql()}`,
  ];
}

/** A result row that changes the customer's rep (to another rep). */
const CHANGED = sql`NOT a.kept AND a.rep_id IS NOT NULL AND a.rep_id IS DISTINCT FROM a.current_rep`;
/** A result row of a customer no eligible rep has room for. */
const UNASSIGNABLE = sql`NOT a.kept AND a.rep_id IS NULL`;

/**
 * Changes (`changes`: the rep differs) or unassignable customers, by
 * customer id; at most `limit` rows when given.
 */
export function changesSql(which: "changes" | "unassignable", limit?: number) {
  const where = which === "changes" ? CHANGED : UNASSIGNABLE;
  // The limit comes from a library caller's option and may be any number: LIMIT takes its whole part, at least 0.
  const top = limit === undefined ? raw("") : sql` LIMIT ${integer(Math.max(0, Math.trunc(limit)))}`;
  return select(
    {
      customer_id: col.text,
      tier: col.text,
      current_rep: col.nullable(col.text),
      rep_id: col.nullable(col.text),
      reason: col.text,
    },
    sql`SELECT a.customer_id, c.tier, a.current_rep, a.rep_id, a.reason FROM ${t("result")} a
  JOIN ${t("customers")} c ON c.customer_id = a.customer_id
  WHERE ${where} ORDER BY a.customer_id${top}`,
  );
}

/**
 * The changes and unassignable customers as a file: customer, tier, rep
 * before and after (empty after: unassignable), reason; by customer id. No
 * bound parameters: engines stream it to a file with COPY.
 */
export function changesExportSql(spreadsheet = true): SqlFragment {
  const text = (column: string) => textCell(raw(column), spreadsheet);
  return sql`SELECT ${text("a.customer_id")} AS customer_id, ${text("c.tier")} AS tier, ${text("a.current_rep")} AS from_rep,
    ${text("a.rep_id")} AS to_rep, ${text("a.reason")} AS reason FROM ${t("result")} a
  JOIN ${t("customers")} c ON c.customer_id = a.customer_id
  WHERE ${CHANGED} OR ${UNASSIGNABLE} ORDER BY a.customer_id`;
}

/** Convert a changes CSV to Parquet or a JSON array (DuckDB). */
export function convertChangesSql(csvPath: string, outPath: string, format: "parquet" | "json"): SqlFragment {
  const options = format === "parquet" ? raw("FORMAT parquet") : raw("FORMAT json, ARRAY true");
  return sql`COPY (SELECT * FROM read_csv(${csvPath}, header = true, auto_detect = false,
    columns = {'customer_id': 'VARCHAR', 'tier': 'VARCHAR', 'from_rep': 'VARCHAR', 'to_rep': 'VARCHAR', 'reason': 'VARCHAR'}))
    TO ${outPath} (${options})`;
}

/** Per level needed (highest first): customers in scope, changes, unassignable. */
export function levelCountsSql() {
  return select(
    {
      need: col.integer,
      customers: col.integer,
      changed: col.nullable(col.integer),
      unassignable: col.nullable(col.integer),
    },
    sql`SELECT c.need, count(*) AS customers,
    sum(CASE WHEN ${CHANGED} THEN 1 ELSE 0 END) AS changed,
    sum(CASE WHEN ${UNASSIGNABLE} THEN 1 ELSE 0 END) AS unassignable
  FROM ${t("customers")} c JOIN ${t("result")} a ON a.customer_id = c.customer_id
  GROUP BY c.need ORDER BY c.need DESC`,
  );
}

/** Per rep: customers it gains (changes to it) and loses (changes or unassignable customers it had). */
export function repMovesSql() {
  return select(
    { rep_id: col.text, gained: col.integer, lost: col.integer },
    sql`SELECT r.rep_id,
    (SELECT count(*) FROM ${t("result")} a WHERE a.rep_id = r.rep_id AND ${CHANGED}) AS gained,
    (SELECT count(*) FROM ${t("result")} a WHERE a.current_rep = r.rep_id AND (${CHANGED} OR ${UNASSIGNABLE})) AS lost
  FROM ${t("reps")} r`,
  );
}

export function keptCountSql() {
  return select({ n: col.integer }, sql`SELECT count(*) AS n FROM ${t("result")} WHERE kept`);
}

export function nextBatchSql() {
  return select(
    { id: col.integer },
    sql`SELECT COALESCE(max(batch_id), 0) + 1 AS id FROM ${ident("tw_rep_assignments")}`,
  );
}

/** How many rows a batch records (customers whose rep changes, to a rep or to none). */
export function recordCountSql() {
  return select(
    { n: col.integer },
    sql`SELECT count(*) AS n FROM ${t("result")} a WHERE NOT a.kept AND a.rep_id IS DISTINCT FROM a.current_rep`,
  );
}

/** Record the changes of one batch (customers whose rep changes, to a rep or to none). */
export function insertAssignmentsSql(batch: number, at: string, runId: number, scheme: string): SqlFragment {
  return sql`INSERT INTO ${ident("tw_rep_assignments")} (batch_id, assigned_at, run_id, scheme, customer_id, rep_id, previous_rep_id, reason)
  SELECT ${integer(batch)}, CAST(${at} AS TIMESTAMP), ${integer(runId)}, CAST(${scheme} AS VARCHAR), a.customer_id, a.rep_id, a.current_rep, a.reason
  FROM ${t("result")} a WHERE NOT a.kept AND a.rep_id IS DISTINCT FROM a.current_rep`;
}
