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
  const counts = await engine.query<{ table_name: string; n: string }>(tableCountsSql(TABLE_NAMES));
  const orders = await engine.query<{ status: string; n: string; amount: string; first_at: string; last_at: string }>(
    ordersSummarySql(),
  );
  const revenue = (await engine.query<{ amount: string }>(netRevenueSql()))[0]?.amount ?? "0";
  const kinds = await engine.query<{ kind: string; n: string; buyers: string }>(customersByKindSql());
  const firsts = orders.map((o) => o.first_at).sort();
  const lasts = orders.map((o) => o.last_at).sort();
  return {
    rows: counts.map((c) => ({ table: c.table_name, rows: Number(c.n) })),
    orders: orders.map((o) => ({ status: o.status, count: Number(o.n), amount: o.amount })),
    revenue,
    firstOrderAt: firsts[0] ?? null,
    lastOrderAt: lasts[lasts.length - 1] ?? null,
    customersByKind: kinds.map((k) => ({ kind: k.kind, count: Number(k.n), buyers: Number(k.buyers) })),
  };
}
