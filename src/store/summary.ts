import type { Engine } from "../engine/engine.js";
import { TABLE_NAMES } from "../model/index.js";
import { customersByKindSql, netRevenueSql, ordersSummarySql, tableCountsSql } from "../sql/store/summary.js";

export interface StoreSummary {
  readonly rows: ReadonlyArray<{ readonly table: string; readonly rows: number }>;
  readonly orders: ReadonlyArray<{ readonly status: string; readonly count: number; readonly amount: string }>;
  /** Net revenue: the amount of completed orders less credit notes (refunds). */
  readonly revenue: string;
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
  readonly customersByKind: ReadonlyArray<{ readonly kind: string; readonly count: number; readonly buyers: number }>;
}

/** What the store holds: rows per table, orders by status, revenue, date range, customers by kind. */
export async function summariseStore(engine: Engine): Promise<StoreSummary> {
  const counts = await engine.query(tableCountsSql(TABLE_NAMES));
  const orders = await engine.query(ordersSummarySql());
  const revenue = (await engine.query(netRevenueSql()))[0]?.amount ?? "0";
  const kinds = await engine.query(customersByKindSql());
  const firsts = orders.map((o) => o.first_at).sort();
  const lasts = orders.map((o) => o.last_at).sort();
  return {
    rows: counts.map((c) => ({ table: c.table_name, rows: c.n })),
    orders: orders.map((o) => ({ status: o.status, count: o.n, amount: o.amount })),
    revenue,
    firstOrderAt: firsts[0] ?? null,
    lastOrderAt: lasts[lasts.length - 1] ?? null,
    customersByKind: kinds.map((k) => ({ kind: k.kind, count: k.n, buyers: k.buyers })),
  };
}
