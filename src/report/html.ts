import type { MigrationCell } from "../insight/migrations.js";
import type { Crosstab, Report, ReportCrossSell, ReportHistory, ReportScheme } from "../insight/report.js";
import { tierShareBars } from "./charts/bars.js";
import { heatmap } from "./charts/heatmap.js";
import { paretoChart } from "./charts/pareto.js";
import { bidi, escapeHtml } from "./escape.js";
import { dayBefore, type Formats, formats } from "./format.js";
import { REPORT_CSS } from "./style.js";

const OUT = "out of scope";

/**
 * A table; `numeric` columns are right-aligned and never wrap. Cells are HTML
 * already (escape user text before). Every cell carries its column's label:
 * on a phone each row becomes a card of "label value" lines, so no number
 * needs sideways scrolling.
 */
function table(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  numeric: readonly number[],
  cls = "",
): string {
  const th = headers.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map(
            (c, i) =>
              `<td${numeric.includes(i) ? ' class="num"' : ""} data-label="${escapeHtml(headers[i] ?? "")}">${c}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("");
  return `<div class="scroll"><table class="${cls}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A customer or product: its name (when it has one) with the id beside it. */
function named(id: string, name: string | null): string {
  const tag = `<span class="id">${escapeHtml(id)}</span>`;
  return `<span class="named">${name === null || name === id ? tag : `<span class="name">${bidi(name)}</span> ${tag}`}</span>`;
}

/** A chart drawn twice: for a page (wide) and for a phone (narrow, labels at their size); CSS shows one. */
function chart(wide: string, narrow: string): string {
  return `<div class="chart-wide">${wide}</div><div class="chart-narrow">${narrow}</div>`;
}

/** One KPI tile; the value's length sizes the figures of all tiles alike (`--chars` on the row). */
function kpi(label: string, value: string, note: string, cls: string): string {
  return `<div class="kpi ${cls}"><div class="kpi-label">${escapeHtml(label)}</div><div class="kpi-value">${escapeHtml(value)}</div><div class="kpi-note">${note}</div></div>`;
}

/**
 * The headline tiles in one format: counts in whole numbers, money in whole
 * currency units (never compact), shares as percentages with one decimal at
 * most, the Gini coefficient with two decimals; every figure in the same
 * size, which shrinks to fit the longest in its tile.
 */
function headline(r: Report, f: Formats): string {
  const p = r.pareto;
  if (!p) return "";
  const months = `last ${r.revenueMonths} months`;
  const values = {
    customers: f.count(p.customers),
    revenue: f.money(p.revenue),
    contribution: f.money(p.contribution),
    top80: f.percent(p.top80),
    gini: p.gini === null ? "–" : f.decimal(p.gini, 2),
  };
  const chars = Math.max(6, ...Object.values(values).map((v) => [...v].length));
  const cards = [
    kpi(
      "Customers graded",
      values.customers,
      escapeHtml(`${f.count(p.withoutRevenue)} without revenue`),
      "kpi-customers",
    ),
    kpi("Revenue", values.revenue, escapeHtml(`net spend, ${months}`), "kpi-revenue"),
    kpi(
      "Net contribution",
      values.contribution,
      escapeHtml(p.revenue > 0 ? `${f.percent(p.contribution / p.revenue)} of revenue` : months),
      "kpi-contribution",
    ),
    kpi(
      `Top customers bringing ${f.percent(0.8)}`,
      values.top80,
      escapeHtml(`of customers bring ${f.percent(0.8)} of revenue`),
      "kpi-top80",
    ),
    kpi("Gini coefficient", values.gini, "0 = equal, 1 = one customer", "kpi-gini"),
  ];
  return `<section class="kpis" aria-label="Headline figures" style="--chars:${chars}">${cards.join("")}</section>`;
}

function paretoSection(r: Report, f: Formats): string {
  const p = r.pareto;
  if (!p) return "";
  const sentences = p.sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join("");
  return `<section id="pareto" class="card"><h2>Where the revenue comes from</h2>
<p class="lead">${escapeHtml(p.sentences[0] ?? "")}</p>
<div class="split"><figure>${chart(paretoChart(p, f), paretoChart(p, f, "narrow"))}<figcaption>Customers ranked by revenue (${escapeHtml(
    `last ${r.revenueMonths} months`,
  )}), highest first. The further the curve bows above the diagonal, the more revenue depends on few customers.</figcaption></figure>
<ul class="sentences">${sentences}</ul></div></section>`;
}

function schemeSection(s: ReportScheme, f: Formats, id: string): string {
  const customers = s.entity === "customers";
  const priced = customers && s.benefitCost !== null;
  const who = customers ? "Customers" : "Leads";
  const top = s.tiers.find((t) => t.entities > 0);
  const rows = s.tiers.map((t) => [
    bidi(t.tier),
    escapeHtml(f.count(t.entities)),
    escapeHtml(f.percent(t.entityShare)),
    escapeHtml(f.money(t.revenue)),
    escapeHtml(f.percent(t.revenueShare)),
    ...(customers
      ? [
          escapeHtml(t.contribution === null ? "–" : f.money(t.contribution)),
          escapeHtml(f.percent(t.contributionShare)),
          escapeHtml(t.entities > 0 ? f.money(t.revenue / t.entities) : "–"),
        ]
      : []),
    ...(priced
      ? [
          escapeHtml(t.benefitCost === null ? "–" : f.money(t.benefitCost)),
          escapeHtml(f.percent(t.benefitCostOfRevenue)),
          escapeHtml(f.percent(t.benefitCostOfContribution)),
        ]
      : []),
  ]);
  rows.push([
    "<strong>Total</strong>",
    `<strong>${escapeHtml(f.count(s.graded))}</strong>`,
    "",
    `<strong>${escapeHtml(f.money(s.revenue))}</strong>`,
    "",
    ...(customers
      ? [
          `<strong>${escapeHtml(s.contribution === null ? "–" : f.money(s.contribution))}</strong>`,
          "",
          escapeHtml(s.graded > 0 ? f.money(s.revenue / s.graded) : "–"),
        ]
      : []),
    ...(priced
      ? [
          `<strong>${escapeHtml(s.benefitCost === null ? "–" : f.money(s.benefitCost))}</strong>`,
          escapeHtml(f.percent(s.benefitCostOfRevenue)),
          escapeHtml(f.percent(s.benefitCostOfContribution)),
        ]
      : []),
  ]);
  const headers = customers
    ? [
        "Tier",
        "Customers",
        "% customers",
        "Revenue",
        "% revenue",
        "Net contribution",
        "% contribution",
        "Revenue per customer",
        ...(priced ? ["Benefit cost / year", "Benefits ÷ revenue", "Benefits ÷ contribution"] : []),
      ]
    : ["Grade", "Leads", "% leads", "Pipeline amount", "% amount"];
  const numeric = headers.map((_, i) => i).slice(1);
  const scope =
    s.outOfScope !== null && s.outOfScope > 0
      ? `<p class="note">${escapeHtml(`${f.count(s.outOfScope)} ${customers ? "customers" : "leads"} outside this scheme's population (not graded).`)}</p>`
      : "";
  const lead = top
    ? `<p class="lead">${bidi(top.tier)}${escapeHtml(`: ${f.percent(top.entityShare)} of ${customers ? "customers" : "leads"}, ${f.percent(top.revenueShare)} of ${customers ? "revenue" : "pipeline amount"}`)}</p>`
    : "";
  const benefits =
    priced && s.benefitSentence !== null && s.benefitCost !== null
      ? `<p class="benefits">${escapeHtml(`${s.benefitSentence}: ${f.money(s.benefitCost)} a year under the run's playbooks (discounts on 12-month spend, per-customer benefits and gifts).`)}</p>`
      : "";
  return `<section id="${id}" class="card scheme"><h2>${bidi(s.scheme)} <span class="chip">${escapeHtml(s.kind)}</span>${
    s.visibility === "customer-facing" ? ' <span class="chip">customer-facing</span>' : ""
  }</h2>${lead}
<p class="muted">${escapeHtml(`${f.count(s.graded)} ${who.toLowerCase()} graded.`)}</p>${benefits}
<figure>${chart(tierShareBars(s, f), tierShareBars(s, f, "narrow"))}</figure>
${table(headers, rows, numeric, priced ? "tiers dense" : "tiers")}${scope}</section>`;
}

function crosstabSection(c: Crosstab, f: Formats): string {
  const value = (row: string, column: string) =>
    c.cells.find((x) => x.row === row && x.column === column)?.entities ?? 0;
  const input = {
    title: `${c.rows.scheme} by ${c.columns.scheme}: customers in both`,
    rowCaption: c.rows.scheme,
    columnCaption: c.columns.scheme,
    rows: c.rows.tiers,
    columns: c.columns.tiers,
    value,
  };
  return `<section id="crosstab" class="card"><h2>${bidi(c.rows.scheme)} × ${bidi(c.columns.scheme)}</h2>
<p class="muted">${escapeHtml(`${f.count(c.customers)} customers graded by both schemes; darker cells hold more customers.`)}</p>
<figure class="wide">${chart(heatmap(input, f), heatmap(input, f, "narrow"))}</figure></section>`;
}

function historySection(h: ReportHistory, f: Formats): string {
  const parts: string[] = [`<h2>Movement and churn: ${bidi(h.scheme)}</h2>`];
  for (const note of h.notes) parts.push(`<p class="note">${escapeHtml(note)}</p>`);
  const m = h.migrations;
  if (m) {
    const t = m.totals;
    parts.push(
      `<h3>${escapeHtml(`Since ${f.date(m.from.asOf)} (run ${m.from.runId})`)}</h3>`,
      `<p class="lead">${escapeHtml(`${f.count(t.upgraded)} upgraded, ${f.count(t.downgraded)} downgraded, ${f.count(t.stayed)} stayed, ${f.count(t.entered)} entered, ${f.count(t.left)} left`)}</p>`,
    );
    const names = [...m.tiers, OUT];
    const key = (tier: string | null) => tier ?? OUT;
    const value = (row: string, column: string) =>
      m.matrix
        .filter((c: MigrationCell) => key(c.from) === row && key(c.to) === column)
        .reduce((sum, c) => sum + c.entities, 0);
    const input = {
      title: `${m.scheme}: from run ${m.from.runId} to run ${m.to.runId}`,
      rowCaption: `from (${f.date(m.from.asOf)})`,
      columnCaption: `to (${f.date(m.to.asOf)})`,
      rows: names,
      columns: names,
      value,
    };
    parts.push(`<figure class="wide">${chart(heatmap(input, f), heatmap(input, f, "narrow"))}</figure>`);
    if (m.movers.length > 0)
      parts.push(
        `<h3>Largest movers by revenue</h3>`,
        table(
          ["Customer", "From", "To", "Revenue", "Why"],
          m.movers.map((x) => [
            named(x.entityId, x.name),
            bidi(x.from),
            `${bidi(x.to)} ${x.direction === "up" ? '<span class="up">▲</span>' : '<span class="down">▼</span>'}`,
            escapeHtml(x.revenue === null ? "–" : f.money(x.revenue)),
            escapeHtml(x.reason),
          ]),
          [3],
          "movers",
        ),
      );
  }
  const c = h.churn;
  if (c) {
    const rows = c.periods.flatMap((p) =>
      p.tiers
        .filter((t) => t.turned > 0)
        .map((t) => [
          escapeHtml(`${f.date(p.start)} – ${f.date(dayBefore(p.end))}`),
          t.tier === null ? '<span class="muted">not graded then</span>' : bidi(t.tier),
          escapeHtml(f.count(t.customers)),
          escapeHtml(f.count(t.turned)),
          escapeHtml(f.percent(t.share)),
          escapeHtml(f.money(t.revenueLost)),
        ]),
    );
    parts.push(
      `<h3>Churn by tier, per quarter</h3>`,
      `<p class="muted">${escapeHtml(`A customer has turned after max(${c.definition.days} days, ${c.definition.k} × their usual gap between orders) without an order. Revenue lost: their net spend in the 12 months up to their last order.`)}</p>`,
      rows.length === 0
        ? `<p>No customer turned in these quarters.</p>`
        : table(["Quarter", "Tier", "Customers", "Turned", "Share", "Revenue lost"], rows, [2, 3, 4, 5], "churn"),
      `<h3>At risk now</h3>`,
      `<p class="muted">Past their expected next order and not turned yet, by spend in the last 12 months.</p>`,
      c.atRisk.length === 0
        ? "<p>Nobody is at risk.</p>"
        : table(
            ["Customer", "Tier", "Last order", "Turns on", "Spend 12 months"],
            c.atRisk.map((a) => [
              named(a.customerId, a.name),
              a.tier === null ? "" : bidi(a.tier),
              escapeHtml(f.date(a.lastOrder)),
              escapeHtml(f.date(a.turnsOn)),
              escapeHtml(f.money(a.spend)),
            ]),
            [4],
            "at-risk",
          ),
    );
  }
  return `<section id="history" class="card">${parts.join("\n")}</section>`;
}

/** The tiers' strongest cross-sell rules: "customers who bought A also bought B", with lift. */
function crossSellSection(c: ReportCrossSell, f: Formats): string {
  const tiers = c.tiers.filter((t) => t.rules.length > 0);
  const parts = [
    `<h2>Cross-sell within tiers</h2>`,
    `<p class="muted">${escapeHtml(`${c.scheme}, by ${c.level}: among a tier's buyers, those who bought the first item also bought the second, lift times more often than the tier as a whole. Per-customer lists: tierwise recommend.`)}</p>`,
  ];
  if (tiers.length === 0) parts.push("<p>No rule is strong enough in any tier.</p>");
  for (const t of tiers)
    parts.push(
      `<h3>${bidi(t.tier)}</h3>`,
      table(
        ["Bought", "Also bought", "Customers", "Confidence", "Lift"],
        t.rules.map((r) => [
          named(r.antecedent, r.antecedentName),
          named(r.consequent, r.consequentName),
          escapeHtml(f.count(r.customers)),
          escapeHtml(f.percent(r.confidence)),
          escapeHtml(`${f.decimal(r.lift, 2)}×`),
        ]),
        [2, 3, 4],
        "cross-sell",
      ),
    );
  return `<section id="cross-sell" class="card">${parts.join("\n")}</section>`;
}

/**
 * One self-contained HTML page of a report: inline CSS, charts as inline
 * SVG, no scripts, fonts or images from anywhere; numbers, money and dates in
 * the report's locale and currency. Every user text is escaped.
 * @example await writeFile("report.html", reportHtml(await buildReport(store)));
 */
export function reportHtml(r: Report): string {
  const f = formats(r.locale, r.currency);
  const ids = r.schemes.map((_, i) => `scheme-${i + 1}`);
  const nav = [
    r.pareto ? '<a href="#pareto">Revenue concentration</a>' : "",
    ...r.schemes.map((s, i) => `<a href="#${ids[i]}">${bidi(s.scheme)}</a>`),
    r.crosstab ? '<a href="#crosstab">Crosstab</a>' : "",
    r.history ? '<a href="#history">Movement and churn</a>' : "",
    r.crossSell ? '<a href="#cross-sell">Cross-sell</a>' : "",
  ]
    .filter(Boolean)
    .join("");
  const warnings =
    r.warnings.length === 0
      ? ""
      : `<section class="card warnings"><h2>Warnings of the run</h2><ul>${r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul></section>`;
  const lang = escapeHtml(r.locale);
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`Customer tiers as of ${f.date(r.asOf)}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top">
<p class="eyebrow">Tierwise report</p>
<h1>${escapeHtml(`Customer tiers as of ${f.date(r.asOf)}`)}</h1>
<p class="muted">${escapeHtml(
    `Revenue and contribution over ${f.date(r.window.from)} – ${f.date(dayBefore(r.window.to))} · amounts in ${r.currency} · run ${r.runId} · policy ${r.policyHash.slice(0, 8)} · ${r.engine}`,
  )}</p>
</header>
<main>
${headline(r, f)}
<nav aria-label="Sections">${nav}</nav>
${paretoSection(r, f)}
${r.schemes.map((s, i) => schemeSection(s, f, ids[i] ?? `scheme-${i + 1}`)).join("\n")}
${r.crosstab ? crosstabSection(r.crosstab, f) : ""}
${r.history ? historySection(r.history, f) : ""}
${r.crossSell ? crossSellSection(r.crossSell, f) : ""}
${warnings}
</main>
<footer><p>${escapeHtml(
    `Revenue: net spend of completed orders in the window (returns and cancellations excluded). Net contribution: revenue − cost of goods − service cost − compensation paid. Shares are of the customers each scheme grades. Gini: population form over the customers any customer scheme grades. Generated by Tierwise from run ${r.runId}.`,
  )}</p></footer>
</body>
</html>
`;
}
