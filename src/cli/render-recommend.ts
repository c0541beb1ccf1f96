import type { Recommendations, TierAssociationRules } from "../run/recommend.js";
import { formatCount, textTable } from "./text-table.js";

const share = (v: number) => `${(v * 100).toFixed(1)}%`;

/** One tier's strongest rules as a table (or a line saying there are none). */
function renderTier(t: TierAssociationRules): string[] {
  const head = `${t.tier}: ${formatCount(t.customers)} customers, ${formatCount(t.buyers)} with items`;
  if (t.rules.length === 0) return [head, "  no rule with lift above 1"];
  const rows = t.rules.map((r) => [
    `${r.antecedent} → ${r.consequent}`,
    formatCount(r.customers),
    share(r.support),
    share(r.confidence),
    r.lift.toFixed(2),
  ]);
  return [
    head,
    ...textTable(["rule", " customers", " support", " confidence", " lift"], rows)
      .split("\n")
      .map((l) => `  ${l}`),
  ];
}

/** What `tierwise recommend` wrote, then each tier's strongest association rules. */
export function renderRecommendations(r: Recommendations): string {
  const lines = [
    `${r.scheme}, run ${r.runId} (as of ${r.asOf}), ${r.level === "category" ? "categories" : "products"}: ${formatCount(r.rows)} recommendations ` +
      `(top ${r.top}) for ${formatCount(r.customers)} customers written to ${r.path}`,
  ];
  for (const t of r.tiers) lines.push("", ...renderTier(t));
  return lines.join("\n");
}
