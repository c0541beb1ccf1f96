import { type Formats, formats } from "../format/formats.js";
import type { Recommendations, TierAssociationRules } from "../run/recommend.js";
import { textTable } from "./text-table.js";

/** One tier's strongest rules as a table (or a line saying there are none). */
function renderTier(t: TierAssociationRules, f: Formats): string[] {
  const share = f.percent;
  const head = `${t.tier}: ${f.count(t.customers)} customers, ${f.count(t.buyers)} with items`;
  if (t.rules.length === 0) return [head, "  no rule with lift above 1"];
  const rows = t.rules.map((r) => [
    `${r.antecedent} → ${r.consequent}`,
    f.count(r.customers),
    share(r.support),
    share(r.confidence),
    f.decimal(r.lift, 2),
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
  const f = formats(r.locale, r.currency);
  const lines = [
    `${r.scheme}, run ${r.runId} (as of ${r.asOf}), ${r.level === "category" ? "categories" : "products"}: ${f.count(r.rows)} recommendations ` +
      `(top ${r.top}) for ${f.count(r.customers)} customers written to ${r.path}`,
  ];
  for (const t of r.tiers) lines.push("", ...renderTier(t, f));
  return lines.join("\n");
}
