import { type Formats, formats } from "../format/formats.js";
import type { Recommendations, TierAssociationRules } from "../insight/recommend.js";
import { terminalText } from "./render-report.js";
import { outputWidth, textTable } from "./text-table.js";

/** An item with its name beside it ("P-00115 (Smart shoe 55)"), made safe for a terminal; the id alone without a name. */
export const namedItem = (id: string, name: string | null): string =>
  name === null || name === "" || name === id ? terminalText(id) : `${terminalText(id)} (${terminalText(name)})`;

/**
 * One tier's strongest rules as a table (or a line saying there are none).
 * The rule, with the products' names, comes last: on a narrow terminal it
 * wraps under itself and the numbers stay in line.
 */
function renderTier(t: TierAssociationRules, f: Formats): string[] {
  const share = f.percent;
  const head = `${t.tier}: ${f.count(t.customers)} customers, ${f.count(t.buyers)} with items`;
  if (t.rules.length === 0) return [head, "  no rule with lift above 1"];
  const rows = t.rules.map((r) => [
    f.count(r.customers),
    share(r.support),
    share(r.confidence),
    f.decimal(r.lift, 2),
    `${namedItem(r.antecedent, r.antecedentName)} → ${namedItem(r.consequent, r.consequentName)}`,
  ]);
  const width = outputWidth();
  return [
    head,
    ...textTable([" customers", " support", " confidence", " lift", "rule"], rows, [], width && width - 2)
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
