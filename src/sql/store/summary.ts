import { ident, join, type SqlFragment, sql } from "../fragment.js";

/** Row counts of the given store tables. */
export function tableCountsSql(tables: readonly string[]): SqlFragment {
  return join(
    tables.map((t) => sql`SELECT ${t} AS table_name, count(*) AS n FROM ${ident(t)}`),
    " UNION ALL ",
  );
}

/** Orders by status with their amounts, and the ordered_at range. */
export function ordersSummarySql(): SqlFragment {
  return sql`SELECT status, count(*) AS n, CAST(sum(amount) AS VARCHAR) AS amount,
  CAST(min(ordered_at) AS VARCHAR) AS first_at, CAST(max(ordered_at) AS VARCHAR) AS last_at
FROM ${ident("orders")} GROUP BY status ORDER BY status`;
}

/** Customers by kind, and how many of each ever completed an order. */
export function customersByKindSql(): SqlFragment {
  return sql`SELECT coalesce(c.kind, 'unknown') AS kind, count(*) AS n, count(b.customer_id) AS buyers
FROM ${ident("customers")} c
LEFT JOIN (SELECT DISTINCT customer_id FROM ${ident("orders")} WHERE status = 'completed') b ON b.customer_id = c.customer_id
GROUP BY 1 ORDER BY 1`;
}
