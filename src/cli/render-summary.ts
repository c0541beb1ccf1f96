import type { StoreSummary } from "../store/summary.js";
import { formatCount, formatMoney, textTable } from "./text-table.js";

/** The data summary of a store: rows per table, revenue, date range, customers by kind. */
export function renderSummary(s: StoreSummary): string {
  const out: string[] = [];
  out.push(
    textTable(
      ["table", "rows"],
      s.rows.map((r) => [r.table, formatCount(r.rows)]),
    ),
  );
  out.push("");
  out.push(`revenue (net of credit notes): ${formatMoney(s.revenue)}`);
  out.push(`orders placed: ${s.firstOrderAt?.slice(0, 10) ?? "–"} to ${s.lastOrderAt?.slice(0, 10) ?? "–"}`);
  if (s.orders.length > 0) {
    out.push("");
    out.push(
      textTable(
        ["status", "orders", "amount"],
        s.orders.map((o) => [o.status, formatCount(o.count), formatMoney(o.amount)]),
      ),
    );
  }
  out.push("");
  out.push(
    textTable(
      ["kind", "customers", "buyers"],
      s.customersByKind.map((k) => [k.kind, formatCount(k.count), formatCount(k.buyers)]),
    ),
  );
  return out.join("\n");
}
