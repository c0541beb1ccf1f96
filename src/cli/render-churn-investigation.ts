import type { ChurnInvestigation, ChurnSignalGroup } from "../run/churn-investigate.js";
import { formatCount, textTable } from "./text-table.js";

const mean = (g: ChurnSignalGroup, share: boolean) =>
  g.mean === null ? "" : share ? `${(g.mean * 100).toFixed(1)}%` : g.mean.toFixed(2);

/** The investigation: who was compared, the signals ranked in a table, then one plain line each; or why there is none. */
export function renderChurnInvestigation(r: ChurnInvestigation): string {
  if (r.kind === "lowest-tier") return `${r.message} (run ${r.runId}, as of ${r.asOf})`;
  const d = r.definition;
  const lines = [
    `${r.scheme}: why ${r.tier} customers turned, run ${r.runId} (as of ${r.asOf}): ${formatCount(r.churned)} churned vs ${formatCount(r.retained)} retained`,
    `turned = no order for max(${d.days} days, ${d.k} × median gap); each customer's last ${r.days} days: up to the last order (churned) or before as-of (retained)`,
  ];
  if (r.withoutOrders > 0)
    lines.push(`${formatCount(r.withoutOrders)} ${r.tier} customers without a completed order are left out`);
  if (r.churned === 0 || r.retained === 0)
    lines.push(`no ${r.churned === 0 ? "churned" : "retained"} ${r.tier} customers to compare with`);
  if (r.signals.length > 0) {
    const rows = r.signals.map((s, i) => {
      const share = s.signal === "discount_share";
      return [
        String(i + 1),
        s.signal.replaceAll("_", " "),
        mean(s.churned, share),
        mean(s.retained, share),
        `${s.churned.withSignal}/${s.churned.customers}`,
        `${s.retained.withSignal}/${s.retained.customers}`,
        s.ratio === null ? "" : s.ratio.toFixed(2),
        s.separated ? "separated" : s.effect === null ? "" : s.effect.toFixed(2),
      ];
    });
    lines.push(
      "",
      textTable(["#", "signal", " churned", " retained", " churned >0", " retained >0", " ratio", " effect (d)"], rows),
      "",
      ...r.signals.map((s, i) => `${i + 1}. ${s.sentence}`),
    );
  }
  if (r.unavailable.length > 0)
    lines.push(
      "",
      `left out: ${r.unavailable.map((u) => `${u.signal.replaceAll("_", " ")} (${u.reason})`).join("; ")}`,
    );
  return lines.join("\n");
}
