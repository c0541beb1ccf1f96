import type { Formats } from "../format/formats.js";
import type { ChurnReport } from "../insight/churn.js";
import { textTable } from "./text-table.js";

const UNGRADED = "(not graded)";

/** Churn per period and tier (tiers with customers or turned customers), then the at-risk customers. */
export function renderChurn(c: Omit<ChurnReport, "locale" | "currency">, f: Formats): string {
  const d = c.definition;
  const percent = (share: number | null) => (share === null ? "" : f.percent(share));
  const rows = c.periods.flatMap((p) =>
    p.tiers
      .filter((t) => t.customers > 0 || t.turned > 0)
      .map((t) => [
        p.end,
        p.runId === null ? "" : String(p.runId),
        t.tier ?? UNGRADED,
        f.count(t.customers),
        f.count(t.turned),
        percent(t.share),
        f.amount(t.revenueLost),
      ]),
  );
  const lines = [
    `${c.scheme}: churn per ${c.every} up to run ${c.runId} (as of ${c.asOf}); turned = no order for max(${d.days} days, ${d.k} × median gap)`,
    `each row: the ${c.every} up to that date${c.periods[0] ? ` (the first from ${c.periods[0].start})` : ""}, with the tiers of the run named; amounts in ${f.currency}`,
    rows.length === 0
      ? "no periods with graded or turned customers"
      : textTable(["period to", "run", "tier", " customers", " turned", " share", " revenue lost"], rows),
  ];
  lines.push("", `at risk (past their expected order, not turned yet as of ${c.asOf}):`);
  lines.push(
    c.atRisk.length === 0
      ? "none"
      : textTable(
          ["customer", "tier", "last order", "expected", "turns on", " spend 12 months"],
          c.atRisk.map((a) => [
            a.customerId,
            a.tier ?? UNGRADED,
            a.lastOrder,
            a.expected,
            a.turnsOn,
            f.amount(a.spend),
          ]),
        ),
  );
  return lines.join("\n");
}
