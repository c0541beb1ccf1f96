import { tableDef } from "../../model/index.js";
import { ident, join, raw, type SqlFragment, sql } from "../fragment.js";

/**
 * Orders as every money metric reads them (docs/ingest.md, "Credit notes and returns"):
 * each row of `orders` with `kind` never empty (a row written without one,
 * e.g. by an older store, is a credit when its amount is negative) and
 * `voided`, true for a credit note that refunds an order which is itself
 * `returned` or `cancelled`: that order already adds nothing, so its credit
 * must not subtract again.
 */
export function netOrdersRelation(): SqlFragment {
  const orders = tableDef("orders");
  const kind = sql`coalesce(o.kind, CASE WHEN o.amount < 0 THEN 'credit' ELSE 'order' END)`;
  const columns = orders.columns.filter((c) => c.name !== "kind").map((c) => sql`o.${ident(c.name)}`);
  return sql`(SELECT ${join(columns)}, ${kind} AS kind,
    (${kind} = 'credit' AND o.refunds_order_id IS NOT NULL AND o.refunds_order_id IN
      (SELECT r.order_id FROM ${ident("orders")} r WHERE r.status <> 'completed')) AS voided
    FROM ${ident("orders")} o)`;
}

/** A sale that counts: a completed row of kind `order` (orders, recency, frequency, first and last order). */
export const SALE = raw("status = 'completed' AND kind = 'order'");

/** A row whose money counts net: a completed order, or a completed credit note that is not voided. */
export const NET = raw("status = 'completed' AND NOT voided");

/** A credit note that counts (completed, not voided). */
export const CREDIT = raw("status = 'completed' AND kind = 'credit' AND NOT voided");

/**
 * A row's contribution before refund handling and compensation: `amount −
 * cost − service_cost`; on a credit note the amount is negative and `cost`
 * (the goods that came back) is added back.
 */
export const CONTRIBUTION_VALUE = raw(
  "amount - CASE WHEN kind = 'credit' THEN -COALESCE(cost, 0) ELSE COALESCE(cost, 0) END - COALESCE(service_cost, 0)",
);
