import { CONTRIBUTION_VALUE, NET, netOrdersRelation } from "../compile/net-orders.js";
import { ident, integer, join, param, raw, type SqlFragment, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** The revenue window of a run: UTC instants `[start, end)` (local midnights in the policy's time zone). */
export interface ReportWindow {
  readonly start: string;
  readonly end: string;
}

const ts = (instant: string) => sql`CAST(${instant} AS TIMESTAMP)`;
const list = (nos: readonly number[]) => join(nos.length === 0 ? [raw("NULL")] : nos.map((n) => integer(n)));

/** The schemes of a run, by number. */
export function reportSchemesSql(runId: number) {
  return select(
    { scheme_no: col.integer, scheme: col.text, kind: col.text, entity: col.text, visibility: col.text },
    sql`SELECT scheme_no, scheme, kind, entity, visibility FROM ${ident("tw_run_schemes")}
  WHERE run_id = ${integer(runId)} ORDER BY scheme_no`,
  );
}

/**
 * Net contribution per customer over the window, as the `contribution`
 * metric defines it: completed orders' and credit notes' `amount − cost −
 * service_cost` (net of refunds, src/sql/compile/net-orders.ts), minus the
 * service cost of returned orders, minus compensation paid.
 */
function contributionSql(w: ReportWindow): SqlFragment {
  const orders = sql`SELECT customer_id,
      COALESCE(sum(${CONTRIBUTION_VALUE}) FILTER (WHERE ${NET}), 0)
      - COALESCE(sum(COALESCE(service_cost, 0)) FILTER (WHERE status = 'returned' AND kind = 'order'), 0) AS margin
    FROM ${netOrdersRelation()} o WHERE ordered_at >= ${ts(w.start)} AND ordered_at < ${ts(w.end)} GROUP BY customer_id`;
  const paid = sql`SELECT customer_id, sum(${ident("value")}) AS paid FROM ${ident("interactions")}
    WHERE kind = 'compensation' AND ${ident("at")} >= ${ts(w.start)} AND ${ident("at")} < ${ts(w.end)} GROUP BY customer_id`;
  return sql`SELECT coalesce(o.customer_id, i.customer_id) AS customer_id, COALESCE(o.margin, 0) - COALESCE(i.paid, 0) AS contribution
    FROM (${orders}) o FULL OUTER JOIN (${paid}) i ON i.customer_id = o.customer_id`;
}

/**
 * Per scheme and tier of a run (every tier, also empty ones): entities,
 * revenue (the run's recorded revenue column) and, for customer schemes,
 * net contribution over the window.
 */
export function reportTiersSql(runId: number, customerSchemes: readonly number[], w: ReportWindow) {
  const totals = sql`SELECT g.scheme_no, g.tier_rank, count(*) AS entities, COALESCE(sum(g.revenue), 0) AS revenue,
      COALESCE(sum(CASE WHEN g.scheme_no IN (${list(customerSchemes)}) THEN c.contribution END), 0) AS contribution
    FROM ${ident("tw_grades")} g LEFT JOIN (${contributionSql(w)}) c ON c.customer_id = g.entity_id
    WHERE g.run_id = ${integer(runId)} GROUP BY g.scheme_no, g.tier_rank`;
  return select(
    {
      scheme_no: col.integer,
      tier_rank: col.integer,
      tier: col.text,
      entities: col.integer,
      revenue: col.amount,
      contribution: col.amount,
    },
    sql`SELECT t.scheme_no, t.tier_rank, t.tier, COALESCE(x.entities, 0) AS entities, COALESCE(x.revenue, 0) AS revenue,
    COALESCE(x.contribution, 0) AS contribution
  FROM ${ident("tw_run_tiers")} t LEFT JOIN (${totals}) x ON x.scheme_no = t.scheme_no AND x.tier_rank = t.tier_rank
  WHERE t.run_id = ${integer(runId)} ORDER BY t.scheme_no, t.tier_rank`,
  );
}

/**
 * The customers any customer scheme of the run graded, best first: rank k
 * (1 = highest revenue), n, the running and total revenue (negative revenue
 * counts as 0).
 */
function rankedSql(runId: number, customerSchemes: readonly number[]): SqlFragment {
  const customers = sql`SELECT entity_id, greatest(COALESCE(max(revenue), 0), 0) AS x FROM ${ident("tw_grades")}
    WHERE run_id = ${integer(runId)} AND scheme_no IN (${list(customerSchemes)}) GROUP BY entity_id`;
  return sql`SELECT x, row_number() OVER (ORDER BY x DESC, entity_id) AS k, count(*) OVER () AS n,
    sum(x) OVER (ORDER BY x DESC, entity_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
    sum(x) OVER () AS total FROM (${customers}) c`;
}

/**
 * The Pareto curve: for each whole percent of customers (best first), the
 * first rank that reaches it and the cumulative revenue there; at most 100
 * rows (every rank when there are fewer customers).
 */
export function paretoPointsSql(runId: number, customerSchemes: readonly number[]) {
  return select(
    { k: col.integer, n: col.integer, cum: col.amount, total: col.amount },
    sql`SELECT r.k, r.n, r.cum, r.total FROM (${rankedSql(runId, customerSchemes)}) r
  WHERE floor(CAST(100 * r.k AS DOUBLE PRECISION) / r.n) > floor(CAST(100 * (r.k - 1) AS DOUBLE PRECISION) / r.n)
  ORDER BY r.k`,
  );
}

/**
 * Pareto summary: n, total revenue, Σ k·x (for the Gini coefficient), the
 * first rank whose cumulative revenue reaches 80%, the revenue of the top
 * ⌈n/5⌉, customers without revenue, and total net contribution.
 */
export function paretoSummarySql(runId: number, customerSchemes: readonly number[], w: ReportWindow) {
  const contribution = sql`SELECT COALESCE(sum(c.contribution), 0) FROM (${contributionSql(w)}) c
    WHERE c.customer_id IN (SELECT entity_id FROM ${ident("tw_grades")} WHERE run_id = ${integer(runId)} AND scheme_no IN (${list(customerSchemes)}))`;
  return select(
    {
      n: col.integer,
      total: col.amount,
      weighted: col.amount,
      k80: col.nullable(col.integer),
      top20: col.amount,
      zero: col.integer,
      contribution: col.nullable(col.amount),
    },
    sql`SELECT count(*) AS n, COALESCE(sum(r.x), 0) AS total, COALESCE(sum(r.k * r.x), 0) AS weighted,
    min(r.k) FILTER (WHERE r.cum * 5 >= r.total * 4) AS k80,
    COALESCE(max(r.cum) FILTER (WHERE r.k * 5 <= r.n + 4), 0) AS top20,
    count(*) FILTER (WHERE r.x = 0) AS zero, (${contribution}) AS contribution
  FROM (${rankedSql(runId, customerSchemes)}) r`,
  );
}

/** Customers graded by both schemes of a run: per (tier rank in a, tier rank in b) the customers and their revenue. */
export function crosstabSql(runId: number, a: number, b: number) {
  const side = (no: number) =>
    sql`SELECT entity_id, tier_rank, revenue FROM ${ident("tw_grades")} WHERE run_id = ${integer(runId)} AND scheme_no = ${integer(no)}`;
  return select(
    { a_rank: col.integer, b_rank: col.integer, entities: col.integer, revenue: col.amount },
    sql`SELECT a.tier_rank AS a_rank, b.tier_rank AS b_rank, count(*) AS entities, COALESCE(sum(a.revenue), 0) AS revenue
  FROM (${side(a)}) a JOIN (${side(b)}) b ON b.entity_id = a.entity_id
  GROUP BY a.tier_rank, b.tier_rank ORDER BY a.tier_rank, b.tier_rank`,
  );
}

/**
 * Display names of the customers (`table` "customers") or products
 * ("products") with these ids, for the report's lists: one query for the
 * whole list, ids bound as parameters. Ids without a name are left out.
 */
export function namesSql(table: "customers" | "products", ids: readonly string[]) {
  const key = table === "customers" ? "customer_id" : "product_id";
  const wanted = join(ids.length === 0 ? [raw("NULL")] : ids.map((id) => param(id)));
  return select(
    { id: col.text, name: col.text },
    sql`SELECT ${ident(key)} AS id, ${ident("name")} AS name FROM ${ident(table)}
  WHERE ${ident(key)} IN (${wanted}) AND ${ident("name")} IS NOT NULL AND ${ident("name")} <> ''`,
  );
}
