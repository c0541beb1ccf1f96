import type { ChurnSignal, ChurnSignalSource } from "../../plan/churn-signals.js";
import { type ChurnSqlOptions, churnCtes } from "../compile/churn.js";
import { netOrdersRelation } from "../compile/net-orders.js";
import { ident, integer, join, raw, type SqlFragment, sql } from "../fragment.js";
import { col, records, select } from "../row.js";

/**
 * A churn investigation (docs/schemes.md §10), set-based: the customers one run
 * graded in one tier, split into turned (as of the run's as-of) and
 * retained, each with a window of `windowDays` days ending at the end of
 * their last order day (turned) or the day before as-of (retained); per
 * signal and group the customers with a value, the sum and sum of squares
 * (whole numbers, so both engines give identical statistics) and those
 * with a value above zero.
 */
export interface InvestigateSqlOptions extends ChurnSqlOptions {
  readonly run: { readonly runId: number; readonly schemeNo: number };
  readonly tierRank: number;
  readonly windowDays: number;
  /** The signals to compute (their sources are not empty). */
  readonly signals: readonly ChurnSignal[];
}

/** Whether each signal source has data: one row, a 0/1 column per source. */
export function churnSignalSourcesSql() {
  const any = (from: SqlFragment) => sql`(SELECT count(*) FROM (SELECT 1 AS x FROM ${from} LIMIT 1) s)`;
  const columns: Record<ChurnSignalSource, SqlFragment> = {
    orders: any(ident("orders")),
    discounts: any(sql`${ident("orders")} WHERE discount IS NOT NULL`),
    interactions: any(ident("interactions")),
    order_lines: any(ident("order_lines")),
    launches: any(sql`${ident("products")} WHERE launched_at IS NOT NULL`),
  };
  const shape: Record<ChurnSignalSource, typeof col.integer> = {
    orders: col.integer,
    discounts: col.integer,
    interactions: col.integer,
    order_lines: col.integer,
    launches: col.integer,
  };
  return select(shape, sql`SELECT ${join(Object.entries(columns).map(([name, q]) => sql`${q} AS ${ident(name)}`))}`);
}

/** A completed sale (credit notes are not orders; src/sql/compile/net-orders.ts). */
const completed = raw("o.status = 'completed' AND o.kind = 'order'");
/** A return: an order returned in full, or a credit note that is not voided. */
const returned = raw(
  "(o.status = 'returned' AND o.kind = 'order') OR (o.status = 'completed' AND o.kind = 'credit' AND NOT o.voided)",
);
const orderDay = raw("CAST(o.ordered_at AS DATE)");

/** Per signal: the per-customer value over `cohort` joined with the CTEs it needs (NULL: no value). */
const VALUE: Readonly<Record<ChurnSignal, SqlFragment>> = {
  complaints: raw("COALESCE(it.complaints, 0)"),
  unfounded_complaints: raw("COALESCE(it.unfounded, 0)"),
  service_interactions: raw("COALESCE(it.service, 0)"),
  returns: raw("COALESCE(ow.returns, 0)"),
  // the share in millionths, NULL without a completed order (or with a zero gross amount) in the window
  discount_share: raw("ow.discount_ppm"),
  categories: raw("COALESCE(bo.categories, 0)"),
  launched_products: raw("COALESCE(bo.launched, 0)"),
  stopped_products: raw("COALESCE(st.stopped, 0)"),
};

/**
 * Per group (turned 1, retained 0, and NULL for graded customers without a
 * completed order before as-of, who can neither turn nor be retained): the
 * customers, and per signal `<signal>_n` (customers with a value),
 * `<signal>_s` (sum), `<signal>_q` (sum of squares), `<signal>_p` (value > 0).
 */
/**
 * Rows by `turned` (1, 0, NULL: no order), with `customers` and per signal
 * `<signal>_n`, `_s`, `_q`, `_p`: columns named after the signals asked for,
 * so the rows are plain records (whole numbers as the engine's text).
 */
export function churnInvestigationSql(o: InvestigateSqlOptions) {
  const d = o.dialect;
  const asOf = d.dateLiteral(sql`${o.asOf}`);
  const day = (v: SqlFragment) => sql`CAST(${v} AS DATE)`;
  const turnDay = day(d.shiftDate(sql`t.last_day`, "+", sql`t.threshold`, "day"));
  const days = sql`${o.windowDays}`;
  const inWindow = (at: SqlFragment) => sql`CAST(${at} AS DATE) >= c.w_start AND CAST(${at} AS DATE) < c.w_end`;
  const ctes: SqlFragment[] = [
    sql`cohort AS (
  SELECT w.customer_id, w.turned, w.w_end, ${day(d.shiftDate(sql`w.w_end`, "-", days, "day"))} AS w_start,
    ${day(d.shiftDate(sql`w.w_end`, "-", sql`${2 * o.windowDays}`, "day"))} AS p_start
  FROM (
    SELECT g.entity_id AS customer_id,
      CASE WHEN t.customer_id IS NULL THEN NULL WHEN ${turnDay} <= ${asOf} THEN 1 ELSE 0 END AS turned,
      CASE WHEN ${turnDay} <= ${asOf} THEN ${day(d.shiftDate(sql`t.last_day`, "+", integer(1), "day"))} ELSE ${asOf} END AS w_end
    FROM ${ident("tw_grades")} g LEFT JOIN thr t ON t.customer_id = g.entity_id
    WHERE g.run_id = ${integer(o.run.runId)} AND g.scheme_no = ${integer(o.run.schemeNo)} AND g.tier_rank = ${o.tierRank}
  ) w
)`,
    sql`ow AS (
  SELECT c.customer_id, count(*) FILTER (WHERE ${returned}) AS returns,
    CAST(${d.round(
      d.divide(
        sql`sum(COALESCE(o.discount, 0)) FILTER (WHERE ${completed}) * 1000000`,
        sql`sum(o.amount + COALESCE(o.discount, 0)) FILTER (WHERE ${completed})`,
      ),
    )} AS BIGINT) AS discount_ppm
  FROM cohort c JOIN ${netOrdersRelation()} o ON o.customer_id = c.customer_id AND ${inWindow(sql`o.ordered_at`)}
  GROUP BY c.customer_id
)`,
  ];
  const joins: SqlFragment[] = [sql`LEFT JOIN ow ON ow.customer_id = c.customer_id`];
  const needs = (...names: ChurnSignal[]) => names.some((n) => o.signals.includes(n));
  if (needs("complaints", "unfounded_complaints", "service_interactions")) {
    ctes.push(sql`it AS (
  SELECT c.customer_id, count(*) FILTER (WHERE i.kind = 'complaint') AS complaints,
    count(*) FILTER (WHERE i.kind = 'complaint' AND i.outcome = 'unfounded') AS unfounded,
    count(*) FILTER (WHERE i.kind IN ('support', 'inquiry')) AS service
  FROM cohort c JOIN ${ident("interactions")} i ON i.customer_id = c.customer_id AND ${inWindow(sql`i.at`)}
  GROUP BY c.customer_id
)`);
    joins.push(sql`LEFT JOIN it ON it.customer_id = c.customer_id`);
  }
  if (needs("categories", "launched_products", "stopped_products")) {
    ctes.push(sql`bl AS (
  SELECT c.customer_id, CASE WHEN ${orderDay} >= c.w_start THEN 1 ELSE 0 END AS in_window, ol.product_id,
    COALESCE(ol.category, p.category) AS category,
    CASE WHEN ${inWindow(sql`p.launched_at`)} THEN 1 ELSE 0 END AS launched
  FROM cohort c JOIN ${netOrdersRelation()} o ON o.customer_id = c.customer_id AND ${completed}
    AND ${orderDay} >= c.p_start AND ${orderDay} < c.w_end
  JOIN ${ident("order_lines")} ol ON ol.order_id = o.order_id
  LEFT JOIN ${ident("products")} p ON p.product_id = ol.product_id
), bo AS (
  SELECT customer_id, count(DISTINCT category) FILTER (WHERE in_window = 1) AS categories,
    count(DISTINCT product_id) FILTER (WHERE in_window = 1 AND launched = 1) AS launched
  FROM bl GROUP BY customer_id
), st AS (
  SELECT customer_id, count(*) AS stopped FROM (
    SELECT customer_id, product_id FROM bl WHERE in_window = 0 AND product_id IS NOT NULL
    EXCEPT SELECT customer_id, product_id FROM bl WHERE in_window = 1
  ) x GROUP BY customer_id
)`);
    joins.push(
      sql`LEFT JOIN bo ON bo.customer_id = c.customer_id`,
      sql`LEFT JOIN st ON st.customer_id = c.customer_id`,
    );
  }
  const values = o.signals.map((s) => sql`${VALUE[s]} AS ${ident(s)}`);
  const stats = o.signals.flatMap((s) => [
    sql`count(${ident(s)}) AS ${ident(`${s}_n`)}`,
    sql`CAST(COALESCE(sum(${ident(s)}), 0) AS BIGINT) AS ${ident(`${s}_s`)}`,
    sql`CAST(COALESCE(sum(${ident(s)} * ${ident(s)}), 0) AS BIGINT) AS ${ident(`${s}_q`)}`,
    sql`count(*) FILTER (WHERE ${ident(s)} > 0) AS ${ident(`${s}_p`)}`,
  ]);
  return records(sql`WITH ${churnCtes(o)}, ${join(ctes, ", ")}, vals AS (
  SELECT ${join([sql`c.turned`, ...values])} FROM cohort c
  ${join(joins, "\n  ")}
)
SELECT ${join([sql`turned`, sql`count(*) AS customers`, ...stats])} FROM vals GROUP BY turned ORDER BY turned`);
}
