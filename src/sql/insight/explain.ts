import { ident, sql } from "../fragment.js";
import { col, select } from "../row.js";

/** Whether an id is a customer's, a lead's, or both (one statement: explain asks on every call). */
export function entityKindsSql(id: string) {
  return select(
    { customers: col.integer, leads: col.integer },
    sql`SELECT (SELECT count(*) FROM ${ident("customers")} WHERE customer_id = ${id}) AS customers,
  (SELECT count(*) FROM ${ident("leads")} WHERE lead_id = ${id}) AS leads`,
  );
}
