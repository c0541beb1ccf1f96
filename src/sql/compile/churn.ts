import type { Dialect } from "../dialect/dialect.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";
import { netOrdersRelation } from "./net-orders.js";

/**
 * Churn by tier (docs/schemes.md §10), set-based. A customer has turned when they
 * have not placed a completed order for max(days, k × their median days
 * between order days) (`days` with fewer than 2 order days), rounded up to
 * whole days: the turn date is the last order day + that threshold. Only
 * orders before the reference as-of date count.
 */
export interface ChurnSqlOptions {
  readonly dialect: Dialect;
  /** The latest run's as-of date (YYYY-MM-DD): orders before it count, turn dates after it are not known yet. */
  readonly asOf: string;
  readonly days: number;
  readonly k: number;
  /** With the CLV model on (policy `churn.p_alive`): also turned once P(alive) falls below `theta`. */
  readonly model?: ChurnModel;
}

/**
 * A fitted BG/NBD model and the P(alive) below which a customer has turned.
 * After a purchase day with x repeat days so far, t_x units after the first,
 * P(alive) = 1 / (1 + a / (b + x − 1) · ((α + t_x + g) / (α + t_x))^(r + x))
 * falls below θ once the gap g exceeds (α + t_x) · (K^(1 / (r + x)) − 1),
 * K = (1/θ − 1)(b + x − 1)/a: a closed form, so the threshold of every order
 * day is one SQL expression. One-time buyers (x = 0) stay alive in BG/NBD.
 */
export interface ChurnModel {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
  /** Days per time unit of the fit (1 or 7). */
  readonly unitDays: number;
  readonly theta: number;
}

/** A period [start, end) with the run whose grades give the tiers (null: no run at or before start). */
export interface ChurnPeriodSql {
  readonly start: string;
  readonly end: string;
  readonly run: { readonly runId: number; readonly schemeNo: number } | null;
}

/** A completed sale (credit notes are not orders). */
const completed = raw("o.status = 'completed' AND o.kind = 'order'");
/** A row whose money counts net: a completed order or a credit note that is not voided (src/sql/compile/net-orders.ts). */
const net = raw("o.status = 'completed' AND NOT o.voided");
const num = (n: number) => sql`CAST(${n} AS DOUBLE PRECISION)`;

/** Completed order days before as-of: customer_id, day. */
function orderDays(o: ChurnSqlOptions): SqlFragment {
  return sql`SELECT DISTINCT o.customer_id, CAST(o.ordered_at AS DATE) AS day FROM ${netOrdersRelation()} o
  WHERE ${completed} AND o.customer_id IS NOT NULL AND o.ordered_at < ${o.dialect.dateLiteral(sql`${o.asOf}`)}`;
}

/**
 * Each order day with the customer's next one (NULL for the last), from
 * `days`: customer_id, day, next_day, and with a churn model x_at (repeat
 * days up to this one) and tx_at (days since the first order day).
 */
function nextDays(o: ChurnSqlOptions, days: SqlFragment): SqlFragment {
  const w = raw("OVER (PARTITION BY customer_id ORDER BY day)");
  const model = o.model
    ? sql`, row_number() ${w} - 1 AS x_at, ${o.dialect.daysBetween(sql`min(day) ${w}`, sql`day`)} AS tx_at`
    : raw("");
  return sql`SELECT customer_id, day, LEAD(day) ${w} AS next_day${model} FROM ${days}`;
}

/** Days without an order after which P(alive) < θ, for x repeat days and t_x days (NULL for x = 0: never). */
function aliveGap(m: ChurnModel, x: SqlFragment, txDays: SqlFragment): SqlFragment {
  const k = sql`(${num(1 / m.theta - 1)} * (${num(m.b)} + ${x} - 1) / ${num(m.a)})`;
  const units = sql`(${num(m.alpha)} + ${txDays} / ${num(m.unitDays)}) * (power(${k}, 1 / (${num(m.r)} + ${x})) - 1)`;
  return sql`CASE WHEN ${x} > 0 THEN CAST(ceil(greatest(1, ${units} * ${num(m.unitDays)})) AS INTEGER) END`;
}

/** The lesser of the days criterion and, with a model, the P(alive) gap (a NULL gap leaves the days). */
function withAlive(o: ChurnSqlOptions, days: SqlFragment, x: SqlFragment, txDays: SqlFragment): SqlFragment {
  if (!o.model) return days;
  const gap = aliveGap(o.model, x, txDays);
  return sql`COALESCE(least(${days}, ${gap}), ${days})`;
}

/**
 * Per customer of `seq` (a query or name with customer_id, day, next_day):
 * customer_id, median_gap, last_day, threshold (days without an order after
 * which they have turned) and expected_gap (days to their expected next order).
 */
function thresholds(o: ChurnSqlOptions, seq: SqlFragment): SqlFragment {
  const gap = o.dialect.daysBetween(sql`day`, sql`next_day`);
  const days = sql`CAST(ceil(CASE WHEN m.median_gap IS NULL THEN ${num(o.days)}
      ELSE greatest(${num(o.days)}, ${num(o.k)} * m.median_gap) END) AS INTEGER)`;
  const last = o.model ? sql`, count(*) - 1 AS x_last, max(tx_at) AS tx_last` : raw("");
  return sql`SELECT m.customer_id, m.median_gap, m.last_day, ${days} AS threshold_days,
    ${withAlive(o, days, raw("m.x_last"), raw("m.tx_last"))} AS threshold,
    CAST(ceil(CASE WHEN m.median_gap IS NULL THEN ${num(o.days)} / ${num(o.k)} ELSE m.median_gap END) AS INTEGER) AS expected_gap
  FROM (
    SELECT customer_id, max(day) AS last_day,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(${gap} AS DOUBLE PRECISION)) AS median_gap${last}
    FROM ${seq} GROUP BY customer_id
  ) m`;
}

/**
 * CTEs od (order days), seq (day, next day), thr (median gap, threshold
 * days), gaps (each order day's threshold: with a model it depends on the
 * purchases up to that day) and ev (turn events).
 */
export function churnCtes(o: ChurnSqlOptions): SqlFragment {
  const d = o.dialect;
  const asOf = d.dateLiteral(sql`${o.asOf}`);
  const day = (v: SqlFragment) => sql`CAST(${v} AS DATE)`;
  return sql`od AS (
  ${orderDays(o)}
), seq AS (
  ${nextDays(o, raw("od"))}
), thr AS (
  ${thresholds(o, raw("seq"))}
), gaps AS (
  SELECT s.customer_id, s.day, s.next_day, ${withAlive(o, raw("t.threshold_days"), raw("s.x_at"), raw("s.tx_at"))} AS threshold
  FROM seq s JOIN thr t ON t.customer_id = s.customer_id
), ev AS (
  SELECT s.customer_id, s.day AS last_day, ${day(d.shiftDate(sql`s.day`, "+", sql`s.threshold`, "day"))} AS turn_day
  FROM gaps s
  WHERE (s.next_day IS NULL AND ${day(d.shiftDate(sql`s.day`, "+", sql`s.threshold`, "day"))} <= ${asOf})
    OR ${d.daysBetween(sql`s.day`, sql`s.next_day`)} > s.threshold
)`;
}

/**
 * Per period and tier of the period's run: the tier's graded customers, the
 * customers whose turn date falls in [start, end) (and not after as-of), and
 * their revenue lost (net spend in the 12 months up to and including their
 * last order day, less credit notes dated after it and before as-of). Customers the run did not grade come
 * as a row with a NULL tier rank.
 */
export function churnByTierSql(o: ChurnSqlOptions, periods: readonly ChurnPeriodSql[]) {
  const d = o.dialect;
  const asOf = d.dateLiteral(sql`${o.asOf}`);
  const rows = periods.map(
    (p, i) =>
      sql`SELECT CAST(${i} AS INTEGER) AS p_no, ${d.dateLiteral(sql`${p.start}`)} AS p_start, ${d.dateLiteral(sql`${p.end}`)} AS p_end,
    CAST(${p.run?.runId ?? null} AS INTEGER) AS run_id, CAST(${p.run?.schemeNo ?? null} AS INTEGER) AS scheme_no`,
  );
  const yearBefore = sql`CAST(${d.shiftDate(sql`e.last_day`, "-", integer(12), "month")} AS DATE)`;
  return select(
    {
      p_no: col.integer,
      tier_rank: col.nullable(col.integer),
      tier: col.nullable(col.text),
      customers: col.integer,
      turned: col.integer,
      lost: col.amount,
    },
    sql`WITH ${churnCtes(o)}, periods AS (
  ${join(rows, " UNION ALL ")}
), lost AS (
  SELECT e.customer_id, e.last_day, e.turn_day, COALESCE(sum(o.amount), 0) AS lost FROM ev e
  LEFT JOIN ${netOrdersRelation()} o ON o.customer_id = e.customer_id AND ${net}
    AND CAST(o.ordered_at AS DATE) > ${yearBefore}
    AND (CAST(o.ordered_at AS DATE) <= e.last_day OR (o.kind = 'credit' AND CAST(o.ordered_at AS DATE) < ${asOf}))
  GROUP BY e.customer_id, e.last_day, e.turn_day
), hits AS (
  SELECT p.p_no, g.tier_rank, count(DISTINCT l.customer_id) AS turned, sum(l.lost) AS lost
  FROM periods p JOIN lost l ON l.turn_day >= p.p_start AND l.turn_day < p.p_end AND l.turn_day <= ${asOf}
  LEFT JOIN ${ident("tw_grades")} g ON g.run_id = p.run_id AND g.scheme_no = p.scheme_no AND g.entity_id = l.customer_id
  GROUP BY p.p_no, g.tier_rank
), sizes AS (
  SELECT p.p_no, g.tier_rank, count(*) AS customers FROM periods p
  JOIN ${ident("tw_grades")} g ON g.run_id = p.run_id AND g.scheme_no = p.scheme_no
  GROUP BY p.p_no, g.tier_rank
)
SELECT p.p_no, t.tier_rank, t.tier, COALESCE(s.customers, 0) AS customers, COALESCE(h.turned, 0) AS turned,
  COALESCE(h.lost, 0) AS lost
FROM periods p JOIN ${ident("tw_run_tiers")} t ON t.run_id = p.run_id AND t.scheme_no = p.scheme_no
LEFT JOIN sizes s ON s.p_no = p.p_no AND s.tier_rank = t.tier_rank
LEFT JOIN hits h ON h.p_no = p.p_no AND h.tier_rank = t.tier_rank
UNION ALL
SELECT h.p_no, NULL, NULL, 0, h.turned, h.lost FROM hits h WHERE h.tier_rank IS NULL
ORDER BY 1, 2 NULLS LAST`,
  );
}

/**
 * Customers past their expected next order (last order day + their median
 * gap, or + days / k with fewer than 2 order days, on or before as-of) who
 * have not turned as of as-of, by spend of the 12 months before as-of (then
 * id), with their tier in `run` (NULL: not graded).
 */
export function atRiskSql(
  o: ChurnSqlOptions,
  run: { readonly runId: number; readonly schemeNo: number },
  limit: number,
) {
  const d = o.dialect;
  const asOf = d.dateLiteral(sql`${o.asOf}`);
  const day = (v: SqlFragment) => sql`CAST(${v} AS DATE)`;
  return select(
    {
      customer_id: col.text,
      last_order: col.date,
      median_gap: col.nullable(col.number),
      expected: col.date,
      turns_on: col.date,
      spend: col.amount,
      tier_rank: col.nullable(col.integer),
      tier: col.nullable(col.text),
    },
    sql`WITH ${churnCtes(o)}, spend AS (
  SELECT o.customer_id, sum(o.amount) AS spend FROM ${netOrdersRelation()} o
  WHERE ${net} AND o.ordered_at >= ${d.shiftDate(asOf, "-", integer(12), "month")} AND o.ordered_at < ${asOf}
  GROUP BY o.customer_id
), risk AS (
  SELECT t.customer_id, t.last_day, t.median_gap,
    ${day(d.shiftDate(sql`t.last_day`, "+", sql`t.expected_gap`, "day"))} AS expected_day,
    ${day(d.shiftDate(sql`t.last_day`, "+", sql`t.threshold`, "day"))} AS turn_day
  FROM thr t
)
SELECT r.customer_id, CAST(r.last_day AS VARCHAR) AS last_order, r.median_gap,
  CAST(r.expected_day AS VARCHAR) AS expected, CAST(r.turn_day AS VARCHAR) AS turns_on,
  COALESCE(s.spend, 0) AS spend, g.tier_rank, tt.tier
FROM risk r
LEFT JOIN spend s ON s.customer_id = r.customer_id
LEFT JOIN ${ident("tw_grades")} g ON g.run_id = ${integer(run.runId)} AND g.scheme_no = ${integer(run.schemeNo)} AND g.entity_id = r.customer_id
LEFT JOIN ${ident("tw_run_tiers")} tt ON tt.run_id = g.run_id AND tt.scheme_no = g.scheme_no AND tt.tier_rank = g.tier_rank
WHERE r.expected_day <= ${asOf} AND r.turn_day > ${asOf}
ORDER BY COALESCE(s.spend, 0) DESC, r.customer_id
LIMIT ${integer(Math.max(0, Math.trunc(limit)))}`,
  );
}

/**
 * Every customer with a completed order before as-of, in one subquery (so a
 * statement may hold it for two dates): customer_id, last_day (the last order
 * day before as-of), turned (last day + threshold on or before as-of) and
 * at_risk (last day + expected gap on or before as-of, not turned) — the
 * definitions of `churnByTierSql` and `atRiskSql`.
 */
export function churnStateSql(o: ChurnSqlOptions): SqlFragment {
  const d = o.dialect;
  const asOf = d.dateLiteral(sql`${o.asOf}`);
  const after = (days: SqlFragment) => sql`CAST(${d.shiftDate(sql`t.last_day`, "+", days, "day")} AS DATE)`;
  return sql`SELECT t.customer_id, t.last_day, ${after(sql`t.threshold`)} <= ${asOf} AS turned,
    ${after(sql`t.expected_gap`)} <= ${asOf} AND ${after(sql`t.threshold`)} > ${asOf} AS at_risk
  FROM (${thresholds(o, sql`(${nextDays(o, sql`(${orderDays(o)}) od`)}) seq`)}) t`;
}
