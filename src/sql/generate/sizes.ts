import { sql } from "../fragment.js";
import { col, select } from "../row.js";

/** How many orders, invoices and interactions there are (numbered 1…n), to size the zero-padded ids. */
export function generatedSizesSql() {
  return select(
    { orders: col.integer, invoices: col.integer, interactions: col.integer },
    sql`SELECT
  (SELECT count(*) FROM gen_orders) AS orders,
  (SELECT count(*) FROM gen_invoices) AS invoices,
  (SELECT count(*) FROM gen_interactions) AS interactions`,
  );
}
