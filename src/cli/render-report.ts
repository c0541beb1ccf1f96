import type { Pareto, Report, ReportScheme } from "../insight/report.js";
import { dayBefore, type Formats, formats } from "../report/format.js";
import { renderChurn } from "./render-churn.js";
import { renderMigrations } from "./render-history.js";
import { displayWidth, outputWidth, textTable } from "./text-table.js";

/** User text for a terminal: control characters (escape sequences, newlines) shown as U+FFFD, never sent raw. */
export function terminalText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to neutralise
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "\uFFFD");
}

/** An id with its name beside it ("C-17 (Anna Kovács)"); the name made safe for a terminal. */
const named = (id: string, name: string | null) =>
  name === null || name === id ? terminalText(id) : `${terminalText(id)} (${terminalText(name)})`;

const BAR = 24;
const bar = (share: number | null) => {
  const full = Math.round(Math.max(0, Math.min(1, share ?? 0)) * BAR);
  return "█".repeat(full) + "░".repeat(BAR - full);
};

/** The revenue share of the top `x` share of customers, read off the curve (linear between points). */
export function revenueAt(p: Pareto, x: number): number {
  const pts = p.points;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    if (a && b && b.customers >= x) {
      const span = b.customers - a.customers;
      return span > 0 ? a.revenue + ((x - a.customers) / span) * (b.revenue - a.revenue) : b.revenue;
    }
  }
  return pts.at(-1)?.revenue ?? 0;
}

function schemeText(s: ReportScheme, f: Formats): string {
  const customers = s.entity === "customers";
  const priced = customers && s.benefitCost !== null;
  const headers = customers
    ? [
        "tier",
        "customers",
        "%",
        "revenue",
        "%",
        "net contribution",
        "%",
        ...(priced ? ["benefits/year", "÷ revenue", "÷ contribution"] : []),
        "",
      ]
    : ["grade", "leads", "%", "pipeline amount", "%", ""];
  const rows = s.tiers.map((t) => [
    terminalText(t.tier),
    f.count(t.entities),
    f.percent(t.entityShare),
    f.money(t.revenue),
    f.percent(t.revenueShare),
    ...(customers ? [t.contribution === null ? "–" : f.money(t.contribution), f.percent(t.contributionShare)] : []),
    ...(priced
      ? [
          t.benefitCost === null ? "–" : f.money(t.benefitCost),
          f.percent(t.benefitCostOfRevenue),
          f.percent(t.benefitCostOfContribution),
        ]
      : []),
    bar(t.revenueShare),
  ]);
  const right = customers ? (priced ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 2, 3, 4, 5, 6]) : [1, 2, 3, 4];
  const scope = s.outOfScope ? `, ${f.count(s.outOfScope)} out of scope` : "";
  const benefits =
    s.benefitSentence === null || s.benefitCost === null
      ? []
      : [`  ${s.benefitSentence} (${f.money(s.benefitCost)} a year, from the playbooks)`];
  return [
    `${terminalText(s.scheme)} (${s.kind}): ${f.count(s.graded)} ${s.entity} graded${scope}`,
    tierTables(headers.slice(0, rows[0]?.length ?? headers.length), rows, right, customers ? 7 : 5),
    ...s.tiers.map((t) => `  ${terminalText(t.sentence)}`),
    ...benefits,
  ].join("\n");
}

/**
 * The tier table whole when it fits the terminal; else the shares without the bar (`shares` columns,
 * "net contribution" headed "contribution") and the benefit costs in a table of their own.
 */
function tierTables(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  right: readonly number[],
  shares: number,
): string {
  const width = outputWidth();
  const whole = textTable(headers, rows, right, width);
  if (width === undefined || whole.split("\n").every((l) => displayWidth(l) <= width)) return whole;
  const narrow = headers.slice(0, shares).map((h) => (h === "net contribution" ? "contribution" : h));
  const tables = [
    textTable(
      narrow,
      rows.map((r) => r.slice(0, shares)),
      right.filter((i) => i < shares),
      width,
    ),
  ];
  if (headers.length > shares + 1) {
    const costs = headers.slice(shares, -1);
    tables.push(
      textTable(
        [headers[0] ?? "tier", ...costs],
        rows.map((r) => [r[0] ?? "", ...r.slice(shares, shares + costs.length)]),
        costs.map((_, i) => i + 1),
        width,
      ),
    );
  }
  return tables.join("\n\n");
}

/**
 * The report for a terminal: headline figures, the Pareto sentences and a
 * few points of the curve, each scheme's tiers with shares, the crosstab and
 * the history sections. Numbers follow the report's locale.
 */
export function renderReport(r: Report): string {
  const f = formats(r.locale, r.currency);
  const out: string[] = [
    `Customer tiers as of ${f.date(r.asOf)}: run ${r.runId}, policy ${r.policyHash.slice(0, 8)}, ${r.engine}, amounts in ${r.currency}`,
    `revenue and net contribution over ${f.date(r.window.from)} – ${f.date(dayBefore(r.window.to))} (${r.revenueMonths} months)`,
  ];
  const p = r.pareto;
  if (p) {
    out.push(
      "",
      `${f.count(p.customers)} customers graded · revenue ${f.money(p.revenue)} · net contribution ${f.money(p.contribution)} · Gini ${p.gini === null ? "–" : f.decimal(p.gini, 2)}`,
      ...p.sentences.map((s) => `  ${s}`),
      "",
      "revenue brought by the top customers:",
      textTable(
        ["top", "revenue", ""],
        [0.01, 0.05, 0.1, 0.2, 0.5].map((x) => [f.percent(x), f.percent(revenueAt(p, x)), bar(revenueAt(p, x))]),
        [0, 1],
      ),
    );
  }
  for (const s of r.schemes) out.push("", schemeText(s, f));
  const c = r.crosstab;
  if (c) {
    const value = (row: string, col: string) => c.cells.find((x) => x.row === row && x.column === col)?.entities ?? 0;
    out.push(
      "",
      `${terminalText(c.rows.scheme)} × ${terminalText(c.columns.scheme)}: ${f.count(c.customers)} customers graded by both`,
      textTable(
        [terminalText(c.rows.scheme), ...c.columns.tiers.map(terminalText)],
        c.rows.tiers.map((row) => [
          terminalText(row),
          ...c.columns.tiers.map((col) => (value(row, col) === 0 ? "·" : f.count(value(row, col)))),
        ]),
        c.columns.tiers.map((_, i) => i + 1),
      ),
    );
  }
  const h = r.history;
  if (h) {
    out.push("", `movement and churn: ${terminalText(h.scheme)}`, ...h.notes.map((n) => `  ${n}`));
    const m = h.migrations;
    if (m)
      out.push(
        "",
        renderMigrations({ ...m, movers: m.movers.map((x) => ({ ...x, entityId: named(x.entityId, x.name) })) }, f),
      );
    const c = h.churn;
    if (c)
      out.push(
        "",
        renderChurn(
          {
            scheme: h.scheme,
            asOf: r.asOf,
            runId: r.runId,
            ...c,
            atRisk: c.atRisk.map((a) => ({ ...a, customerId: named(a.customerId, a.name) })),
          },
          f,
        ),
      );
  }
  if (r.crossSell) {
    // the rule, with the products' names, last: on a narrow terminal it wraps under itself
    const rules = r.crossSell.tiers.flatMap((t) =>
      t.rules.map((x) => [
        terminalText(t.tier),
        f.count(x.customers),
        f.percent(x.confidence),
        `${f.decimal(x.lift, 2)}x`,
        `${named(x.antecedent, x.antecedentName)} → ${named(x.consequent, x.consequentName)}`,
      ]),
    );
    out.push("", `cross-sell within tiers: ${terminalText(r.crossSell.scheme)} (by ${r.crossSell.level})`);
    out.push(
      rules.length === 0
        ? "  no rule is strong enough in any tier"
        : textTable(["tier", "customers", "confidence", "lift", "bought → also bought"], rules, [1, 2, 3]),
    );
  }
  if (r.warnings.length > 0) out.push("", "warnings of the run:", ...r.warnings.map((w) => `  ${terminalText(w)}`));
  return out.join("\n");
}
