import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/**
 * SQL of the CLV sufficient statistics (the "buy till you die" conventions):
 * a customer's purchases are the distinct local days with a completed order
 * that is not a credit (amount ≥ 0; zero-value orders count, as in CDNOW;
 * several orders on one day are one purchase, their amounts summed; a
 * credit note, amount < 0, is never a purchase, but is
 * netted into the value of the latest purchase day on or before it); the
 * first purchase day is not a repeat; x = purchase days − 1; t_x = last −
 * first purchase day; T = calibration end − first purchase day, all in whole
 * days (the caller divides by 7 for weeks, in double precision, identically
 * for every engine). The calibration end date is the last day of the period
 * and counts (`ordered_at` strictly before the next day's local midnight).
 */

/** Where a statistics query cuts: the period's last day and the UTC instants bounding it. */
export interface ClvPeriod {
  /** Last day of the calibration period, `YYYY-MM-DD` (inclusive). */
  readonly calibrationEnd: string;
  /** Local midnight after the calibration end, as UTC `YYYY-MM-DD HH:MM:SS`. */
  readonly calibrationCut: string;
  /** IANA zone of the purchase days. */
  readonly timeZone: string;
}

/** Name of the session table of per-customer statistics. */
export const CLV_STATS_TABLE = "clv_customer_stats";

const timestamp = (text: string) => sql`CAST(${text} AS TIMESTAMP)`;
const date = (text: string) => sql`CAST(${text} AS DATE)`;

/** The local calendar day of a stored (UTC) timestamp; plain CAST in UTC, the fast path. */
export function localDay(column: SqlFragment, timeZone: string): SqlFragment {
  if (timeZone === "UTC") return sql`CAST(${column} AS DATE)`;
  return sql`CAST((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone} AS DATE)`;
}

/** Distinct purchase days (completed orders that are not credits, amount ≥ 0) in `[from, to)` (UTC instants), with the day's summed amount. */
function purchaseDays(timeZone: string, to: string, from?: string): SqlFragment {
  const day = localDay(raw("ordered_at"), timeZone);
  const lower = from === undefined ? raw("") : sql` AND ordered_at >= ${timestamp(from)}`;
  return sql`SELECT customer_id, ${day} AS day, sum(amount) AS value FROM ${ident("orders")}
    WHERE status = 'completed' AND amount >= 0 AND ordered_at < ${timestamp(to)}${lower} GROUP BY 1, 2`;
}

/**
 * One row per customer with a purchase on or before the calibration end:
 * customer_id, x, tx_days, t_days, first_day, repeat_value (the summed
 * amount of the repeat days, exact decimal). Without credits in the period
 * (`withCredits` false) a plain aggregate; with them, the repeat value is
 * net of the credits, each netted into the latest purchase day on or before
 * it (see creditStatsSql).
 */
export function customerStatsSql(period: ClvPeriod, d: Dialect, withCredits = false): SqlFragment {
  if (withCredits) return creditStatsSql(period);
  return sql`SELECT customer_id, CAST(count(*) - 1 AS INTEGER) AS x,
    CAST(max(day) - min(day) AS INTEGER) AS tx_days,
    CAST(${date(period.calibrationEnd)} - min(day) AS INTEGER) AS t_days,
    min(day) AS first_day,
    sum(value) - ${d.argMin(raw("value"), raw("day"))} AS repeat_value
  FROM (${purchaseDays(period.timeZone, period.calibrationCut)}) days GROUP BY customer_id`;
}

/**
 * The statistics when the period holds credits (completed orders with a
 * negative amount, dated on or before the calibration end; later ones are
 * not counted). Per customer and local day: the purchases' value and count
 * and the credits' sum; `k` counts the purchase days up to and including the
 * day (a running sum, one pass, no join). A purchase day with k ≥ 2 is a
 * repeat day; a credit on a day with k ≥ 2 nets into the latest purchase
 * day before or on it, a repeat day, so it lowers the repeat value; one
 * with k = 1 nets into the first purchase (left out of m like it); one with
 * k = 0 (before any purchase) refunds nothing bought in the period and is
 * left out. Customers with credits only have no purchase and no row.
 */
function creditStatsSql(period: ClvPeriod): SqlFragment {
  const day = localDay(raw("ordered_at"), period.timeZone);
  const days = sql`SELECT customer_id, ${day} AS day, sum(amount) FILTER (WHERE amount >= 0) AS value,
      count(*) FILTER (WHERE amount >= 0) AS n, sum(amount) FILTER (WHERE amount < 0) AS credit
    FROM ${ident("orders")} WHERE status = 'completed' AND ordered_at < ${timestamp(period.calibrationCut)} GROUP BY 1, 2`;
  const ranked = sql`SELECT customer_id, day, value, n, credit,
      sum(CASE WHEN n > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY day
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS k
    FROM (${days}) d`;
  return sql`SELECT customer_id, CAST(count(*) FILTER (WHERE n > 0) - 1 AS INTEGER) AS x,
    CAST(max(day) FILTER (WHERE n > 0) - min(day) FILTER (WHERE n > 0) AS INTEGER) AS tx_days,
    CAST(${date(period.calibrationEnd)} - min(day) FILTER (WHERE n > 0) AS INTEGER) AS t_days,
    min(day) FILTER (WHERE n > 0) AS first_day,
    coalesce(sum(value) FILTER (WHERE n > 0 AND k >= 2), 0) + coalesce(sum(credit) FILTER (WHERE k >= 2), 0) AS repeat_value
  FROM (${ranked}) r GROUP BY customer_id HAVING count(*) FILTER (WHERE n > 0) > 0`;
}

/** One row (`found`) when a completed credit (amount < 0) is dated before the cut, none otherwise. */
export function creditsBeforeSql(cut: string) {
  return select(
    { found: col.integer },
    sql`SELECT 1 AS found FROM ${ident("orders")} WHERE status = 'completed' AND amount < 0
    AND ordered_at < ${timestamp(cut)} LIMIT 1`,
  );
}

/** Session tables of the grouped statistics, numbered in key order (`g`) so they can be read page by page. */
export const CLV_PURCHASE_GROUPS_TABLE = "clv_purchase_groups";
export const CLV_SPEND_GROUPS_TABLE = "clv_spend_groups";

/** The distinct (x, tx_days, t_days) of the statistics table with their customer count `n`. */
export function purchaseGroupsTableSql(): SqlFragment {
  return sql`SELECT row_number() OVER (ORDER BY x, tx_days, t_days) AS g, x, tx_days, t_days, n
  FROM (SELECT x, tx_days, t_days, count(*) AS n FROM ${ident(CLV_STATS_TABLE)} GROUP BY x, tx_days, t_days) k`;
}

/**
 * The distinct (x, repeat_value) of repeat buyers with their customer count
 * `n`; with `positiveOnly`, only those whose repeat purchases are worth > 0.
 */
export function spendGroupsTableSql(positiveOnly = false): SqlFragment {
  const positive = positiveOnly ? raw(" AND repeat_value > 0") : raw("");
  return sql`SELECT row_number() OVER (ORDER BY x, repeat_value) AS g, x, CAST(repeat_value AS VARCHAR) AS repeat_value, n
  FROM (SELECT x, repeat_value, count(*) AS n FROM ${ident(CLV_STATS_TABLE)} WHERE x > 0${positive} GROUP BY x, repeat_value) k`;
}

/**
 * Repeat buyers whose repeat purchases are worth ≤ 0 (net of credits): the
 * first by customer id with its value, and how many there are (`n`); no row
 * when there is none.
 */
export function nonPositiveSpendSql() {
  return select(
    { customer_id: col.text, repeat_value: col.amount, n: col.integer },
    sql`SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(repeat_value AS VARCHAR) AS repeat_value,
    count(*) OVER () AS n FROM ${ident(CLV_STATS_TABLE)} WHERE x > 0 AND repeat_value <= 0 ORDER BY customer_id LIMIT 1`,
  );
}

/** A page of a numbered group table: rows with `g` after `after`, in order. */
function groupPageSql(table: string, after: number, limit: number): SqlFragment {
  return sql`SELECT * FROM ${ident(table)} WHERE g > ${after} ORDER BY g LIMIT ${integer(limit)}`;
}

/** A page of the purchase groups (purchaseGroupsTableSql): whole repeat purchases and days, customers `n`. */
export function purchaseGroupPageSql(after: number, limit: number) {
  return select(
    { g: col.integer, x: col.integer, tx_days: col.integer, t_days: col.integer, n: col.integer },
    groupPageSql(CLV_PURCHASE_GROUPS_TABLE, after, limit),
  );
}

/** A page of the spend groups (spendGroupsTableSql): repeat purchases, their total value, customers `n`. */
export function spendGroupPageSql(after: number, limit: number) {
  return select(
    { g: col.integer, x: col.integer, repeat_value: col.amount, n: col.integer },
    groupPageSql(CLV_SPEND_GROUPS_TABLE, after, limit),
  );
}

/** Customers and repeat buyers of the statistics table. */
export function statsCountsSql() {
  return select(
    { customers: col.integer, repeat_buyers: col.integer, first_day: col.nullable(col.date) },
    sql`SELECT count(*) AS customers, count(*) FILTER (WHERE x > 0) AS repeat_buyers,
    CAST(min(first_day) AS VARCHAR) AS first_day FROM ${ident(CLV_STATS_TABLE)}`,
  );
}

/**
 * Per frequency bucket (x capped at `cap`): customers, calibration repeat
 * purchases and actual repeat purchase days in the holdout `(calibration
 * end, holdout end]`.
 */
export function holdoutBucketsSql(period: ClvPeriod, holdoutCut: string, cap: number) {
  const days = purchaseDays(period.timeZone, holdoutCut, period.calibrationCut);
  return select(
    { bucket: col.integer, customers: col.integer, calibration: col.integer, actual: col.integer },
    sql`SELECT CASE WHEN s.x >= ${integer(cap)} THEN ${integer(cap)} ELSE s.x END AS bucket,
    count(*) AS customers, sum(s.x) AS calibration, sum(coalesce(h.n, 0)) AS actual
  FROM ${ident(CLV_STATS_TABLE)} s LEFT JOIN (SELECT customer_id, count(*) AS n FROM (${days}) d GROUP BY customer_id) h
    ON h.customer_id = s.customer_id
  GROUP BY 1 ORDER BY 1`,
  );
}

/**
 * Repeat purchase days of the cohort (customers in the statistics table) per
 * week since `start`, up to the holdout end: week index and count.
 */
export function weeklyRepeatsSql(period: ClvPeriod, holdoutCut: string, start: string, d: Dialect) {
  const days = purchaseDays(period.timeZone, holdoutCut);
  return select(
    { week: col.integer, n: col.integer },
    sql`SELECT ${d.intDiv(sql`CAST(p.day - ${date(start)} AS INTEGER)`, integer(7))} AS week, count(*) AS n
  FROM (${days}) p JOIN ${ident(CLV_STATS_TABLE)} s ON s.customer_id = p.customer_id
  WHERE p.day > s.first_day GROUP BY 1 ORDER BY 1`,
  );
}

/** Customers of the cohort per first purchase day, as days after `start`. */
export function firstDaysSql(start: string) {
  return select(
    { offset_days: col.integer, n: col.integer },
    sql`SELECT CAST(first_day - ${date(start)} AS INTEGER) AS offset_days, count(*) AS n
  FROM ${ident(CLV_STATS_TABLE)} GROUP BY 1 ORDER BY 1`,
  );
}

/** The local day of the latest completed order (`latest`, text), or NULL without orders. */
export function latestOrderDaySql(timeZone: string) {
  return select(
    { latest: col.nullable(col.date) },
    sql`SELECT CAST(max(${localDay(raw("ordered_at"), timeZone)}) AS VARCHAR) AS latest FROM ${ident("orders")}
  WHERE status = 'completed' AND amount >= 0`,
  );
}
