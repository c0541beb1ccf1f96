import type { Formats } from "../format/formats.js";
import type { History } from "../insight/history.js";
import type { Migrations } from "../insight/migrations.js";
import { textTable } from "./text-table.js";

const OUT = "(out of scope)";
/** The matrix's short name for out of scope, explained under it, so that it fits 80 columns. */
const OUT_SHORT = "(out)";

/** A history as a table: date, run, scheme, from, to, reason. */
export function renderHistory(h: History): string {
  const rows = h.changes.map((c) => [c.asOf, String(c.runId), c.scheme, c.from ?? OUT, c.to ?? OUT, c.reason]);
  return [`history of ${h.entityId}`, textTable(["as of", "run", "scheme", "from", "to", "reason"], rows)].join("\n");
}

/** The migration matrix (entities, revenue of the `to` run), the totals line and the movers. */
export function renderMigrations(m: Migrations, f: Formats): string {
  const columns: (string | null)[] = [...m.tiers, null];
  const rowsOf = [...m.tiers, null].filter((t) => t !== null || m.matrix.some((c) => c.from === null)) as (
    | string
    | null
  )[];
  const cell = (from: string | null, to: string | null) => m.matrix.find((c) => c.from === from && c.to === to);
  const matrix = rowsOf.map((from) => [
    from ?? OUT_SHORT,
    ...columns.map((to) => f.count(cell(from, to)?.entities ?? 0)),
    f.amount(m.matrix.filter((c) => c.from === from).reduce((s, c) => s + c.revenue, 0)),
  ]);
  const t = m.totals;
  const lines = [
    `${m.scheme}: run ${m.from.runId} (as of ${m.from.asOf}) → run ${m.to.runId} (as of ${m.to.asOf})`,
    textTable(["from \\ to", ...columns.map((c) => ` ${c ?? OUT_SHORT}`), " revenue"], matrix),
    `${OUT_SHORT}: out of scope, not graded in that run; revenue (${f.currency}): of the from-tier's customers in run ${m.to.runId}`,
    `${f.count(t.upgraded)} upgraded, ${f.count(t.downgraded)} downgraded, ${f.count(t.stayed)} stayed` +
      `, ${f.count(t.entered)} entered, ${f.count(t.left)} left`,
  ];
  if (m.movers.length > 0) {
    lines.push(
      "",
      textTable(
        ["entity", "from", "to", "direction", " revenue", "reason"],
        m.movers.map((v) => [
          v.entityId,
          v.from,
          v.to,
          v.direction,
          v.revenue === null ? "" : f.amount(v.revenue),
          v.reason,
        ]),
      ),
    );
  }
  return lines.join("\n");
}
