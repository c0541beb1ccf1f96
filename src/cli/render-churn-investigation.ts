import { type Formats, formats } from "../format/formats.js";
import type { ChurnInvestigation, ChurnSignalGroup } from "../insight/churn-investigate.js";
import { textTable } from "./text-table.js";

const mean = (g: ChurnSignalGroup, share: boolean, f: Formats) =>
  g.mean === null ? "" : share ? f.percent(g.mean) : f.decimal(g.mean, 2);

/** The investigation: who was compared, the signals ranked in a table, then one plain line each; or why there is none. */
export function renderChurnInvestigation(r: ChurnInvestigation): string {
  if (r.kind === "lowest-tier") return `${r.message} (run ${r.runId}, as of ${r.asOf})`;
  const f = formats(r.locale, r.currency);
  const d = r.definition;
  const lines = [
    `${r.scheme}: why ${r.tier} customers turned, run ${r.runId} (as of ${r.asOf}): ${f.count(r.churned)} churned vs ${f.count(r.retained)} retained`,
    `turned = no order for max(${d.days} days, ${d.k} × median gap); each customer's last ${r.days} days: up to the last order (churned) or before as-of (retained)`,
  ];
  if (r.withoutOrders > 0)
    lines.push(`${f.count(r.withoutOrders)} ${r.tier} customers without a completed order are left out`);
  if (r.churned === 0 || r.retained === 0)
    lines.push(`no ${r.churned === 0 ? "churned" : "retained"} ${r.tier} customers to compare with`);
  if (r.signals.length > 0) {
    const rows = r.signals.map((s, i) => {
      const share = s.signal === "discount_share";
      return [
        String(i + 1),
        s.signal.replaceAll("_", " "),
        mean(s.churned, share, f),
        mean(s.retained, share, f),
        `${f.count(s.churned.withSignal)}/${f.count(s.churned.customers)}`,
        `${f.count(s.retained.withSignal)}/${f.count(s.retained.customers)}`,
        s.ratio === null ? "" : f.decimal(s.ratio, 2),
        s.separated ? "separated" : s.effect === null ? "" : f.decimal(s.effect, 2),
      ];
    });
    lines.push(
      "",
      ">0: how many had any; ratio: churned mean / retained mean; d: effect size (Cohen's d)",
      textTable(["#", "signal", " churned", " retained", " >0 ch.", " >0 ret.", " ratio", " d"], rows),
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
