import { NET, netOrdersRelation } from "../compile/net-orders.js";
import { ident, join, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** Row counts of the given store tables. */
export function tableCountsSql(tables: readonly string[]) {
  return select(
    { table_name: col.text, n: col.integer },
    join(
      tables.map((t) => sql`SELECT ${t} AS table_name, count(*) AS n FROM ${ident(t)}`),
      " UNION ALL ",
    ),
  );
}

/** Orders by status (credit notes apart) with their amounts, and the ordered_at range. */
export function ordersSummarySql() {
  return select(
    // The amount stays exact decimal text; the range is ordered_at as text.
    { status: col.text, n: col.integer, amount: col.text, first_at: col.text, last_at: col.text },
    sql`SELECT CASE WHEN kind = 'credit' AND status = 'completed' THEN 'credit note'
    WHEN kind = 'credit' THEN 'credit note, ' || status ELSE status END AS status,
  count(*) AS n, CAST(sum(amount) AS VARCHAR) AS amount,
  CAST(min(ordered_at) AS VARCHAR) AS first_at, CAST(max(ordered_at) AS VARCHAR) AS last_at
FROM ${netOrdersRelation()} o GROUP BY 1 ORDER BY 1`,
  );
}

/** Net revenue: completed orders less the credit notes that count (as the `spend` metric). */
export function netRevenueSql() {
  return select(
    { amount: col.text },
    sql`SELECT CAST(COALESCE(sum(amount) FILTER (WHERE ${NET}), 0) AS VARCHAR) AS amount FROM ${netOrdersRelation()} o`,
  );
}

/** Customers by kind, and how many of each ever completed an order. */
export function customersByKindSql() {
  return select(
    { kind: col.text, n: col.integer, buyers: col.integer },
    sql`SELECT coalesce(c.kind, 'unknown') AS kind, count(*) AS n, count(b.customer_id) AS buyers
FROM ${ident("customers")} c
LEFT JOIN (SELECT DISTINCT customer_id FROM ${ident("orders")} WHERE status = 'completed' AND kind IS DISTINCT FROM 'credit') b ON b.customer_id = c.customer_id
GROUP BY 1 ORDER BY 1`,
  );
}
