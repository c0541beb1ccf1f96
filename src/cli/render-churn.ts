import type { ChurnReport } from "../run/churn.js";
import { formatCount, formatMoney, textTable } from "./text-table.js";

const UNGRADED = "(not graded)";
const percent = (share: number | null) => (share === null ? "" : `${(share * 100).toFixed(1)}%`);

/** Churn per period and tier (tiers with customers or turned customers), then the at-risk customers. */
export function renderChurn(c: ChurnReport): string {
  const d = c.definition;
  const rows = c.periods.flatMap((p) =>
    p.tiers
      .filter((t) => t.customers > 0 || t.turned > 0)
      .map((t) => [
        p.start,
        p.end,
        p.runId === null ? "" : String(p.runId),
        t.tier ?? UNGRADED,
        formatCount(t.customers),
        formatCount(t.turned),
        percent(t.share),
        formatMoney(String(t.revenueLost)),
      ]),
  );
  const lines = [
    `${c.scheme}: churn per ${c.every} up to run ${c.runId} (as of ${c.asOf}); turned = no order for max(${d.days} days, ${d.k} × median gap)`,
    rows.length === 0
      ? "no periods with graded or turned customers"
      : textTable(["from", "to", "run", "tier", " customers", " turned", " share", " revenue lost"], rows),
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
            formatMoney(String(a.spend)),
          ]),
        ),
  );
  return lines.join("\n");
}
