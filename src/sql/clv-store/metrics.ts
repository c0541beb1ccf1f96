import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";
import { CLV_SPEND_TABLE, SPEND_M } from "./predict.js";
import { CLV_STATS_TABLE } from "./stats.js";

/** Session table of a run's CLV metrics: customer_id and one column per metric the policy names. */
export const CLV_METRICS_TABLE = "tw_clv_metrics";
/** Session table of the metrics per (x, t_x, T) group, before they are joined to the customers. */
export const CLV_METRIC_GROUPS_TABLE = "tw_clv_metric_groups";

/** A column of the CLV metrics table: `p_alive`, `expected_orders_90_day`, `clv_12_month`. */
export interface ClvColumn {
  readonly name: string;
  readonly kind: "p_alive" | "expected_orders" | "clv";
  /** Horizon ahead of as-of (expected_orders, clv). */
  readonly horizon?: { readonly amount: number; readonly unit: "day" | "week" | "month" | "year" };
}

/** Typed group metrics from the staged text table: c1…c3 the group key, then one double per column. */
export function metricGroupsSql(staged: string, columns: readonly ClvColumn[]): SqlFragment {
  const values = columns.map((c, i) => sql`CAST(${ident(`c${i + 4}`)} AS DOUBLE PRECISION) AS ${ident(c.name)}`);
  return sql`SELECT CAST(c1 AS INTEGER) AS x, CAST(c2 AS INTEGER) AS tx_days, CAST(c3 AS INTEGER) AS t_days, ${join(values)}
  FROM ${ident(staged)}`;
}

/**
 * One row per customer of the statistics table with the metrics of its
 * group; `clv` columns (per unit of spend in the group table) are multiplied
 * by the customer's expected spend: the Gamma-Gamma a + b · m when fitted,
 * else the mean repeat value m (NULL for one-time buyers); m net of credits,
 * 0 where they brought it to 0 or below.
 */
export function clvMetricsSql(columns: readonly ClvColumn[], withSpendModel: boolean): SqlFragment {
  const spend = withSpendModel ? sql`CASE WHEN s.x > 0 THEN c.a + c.b * ${SPEND_M} ELSE c.a END` : SPEND_M;
  const values = columns.map((c) =>
    c.kind === "clv" ? sql`g.${ident(c.name)} * ${spend} AS ${ident(c.name)}` : sql`g.${ident(c.name)}`,
  );
  const coefficients = withSpendModel ? sql` LEFT JOIN ${ident(CLV_SPEND_TABLE)} c ON c.x = s.x` : raw("");
  return sql`SELECT s.customer_id, ${join(values)} FROM ${ident(CLV_STATS_TABLE)} s
  JOIN ${ident(CLV_METRIC_GROUPS_TABLE)} g ON g.x = s.x AND g.tx_days = s.tx_days AND g.t_days = s.t_days${coefficients}`;
}

/** An empty metrics table (no orders, or no model): every metric NULL. */
export function emptyClvMetricsSql(columns: readonly ClvColumn[]): SqlFragment {
  const values = columns.map((c) => sql`CAST(NULL AS DOUBLE PRECISION) AS ${ident(c.name)}`);
  return sql`SELECT CAST(NULL AS VARCHAR) AS customer_id, ${join(values)} WHERE FALSE`;
}
